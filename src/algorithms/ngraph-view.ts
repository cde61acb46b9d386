/**
 * A read-only ngraph view over the CSR: the small interface ngraph.path programs
 * against (getNode, forEachLinkedNode), so its path finders run on graphs of
 * millions of nodes without building ngraph.graph's objects (~280 bytes per
 * edge). Node objects are made only for the nodes a search touches and are not
 * kept by the view: ngraph.path holds each one in its own search state (one
 * Map entry per touched node), and a second Map here would double that
 * (measured on R-MAT scale 22: see bench/path.ts). The nodes handed out by
 * getNode (the two ends of a search) are the exception: they are kept and
 * reused, since A* recognises its target by identity (searchState.node === to).
 */
import type { Csr } from '../graph/csr.js';

export interface ViewNode {
  id: number;
  links: null;
  data: undefined;
}

export interface ViewLink {
  id: string;
  fromId: number;
  toId: number;
  data: undefined;
}

export interface NgraphView {
  getNode(id: number): ViewNode | undefined;
  getNodesCount(): number;
  getLinksCount(): number;
  /**
   * Calls `visit` for each neighbour (out-neighbour when directed); stops when it returns true.
   * The link object is reused within one call: read it during `visit`, do not keep it.
   */
  forEachLinkedNode(id: number, visit: (node: ViewNode, link: ViewLink) => boolean | void, oriented?: boolean): boolean;
}

/** A link as ngraph.graph names it ("from-to"), the name made only if asked for. */
class CsrLink implements ViewLink {
  toId = -1;
  readonly data = undefined;
  constructor(readonly fromId: number) {}
  get id(): string {
    return `${this.fromId}-${this.toId}`;
  }
}

export function ngraphView(csr: Csr): NgraphView {
  const { n, offsets, neighbours } = csr;
  // The ends of a search, by id: a handful of entries, never one per node touched.
  const ends = new Map<number, ViewNode>();
  const node = (id: number): ViewNode => ends.get(id) ?? { id, links: null, data: undefined };
  const end = (id: number): ViewNode => {
    let x = ends.get(id);
    if (!x) {
      x = { id, links: null, data: undefined };
      ends.set(id, x);
    }
    return x;
  };
  return {
    getNode: (id) => (Number.isInteger(id) && id >= 0 && id < n ? end(id) : undefined),
    getNodesCount: () => n,
    getLinksCount: () => (csr.directed ? offsets[n] : offsets[n] / 2),
    forEachLinkedNode(id, visit) {
      // One link object per call, updated for each neighbour: ngraph.path reads links (fromId, toId) while
      // visiting and never keeps them, and a fresh object plus an id string per arc scanned is garbage.
      const link = new CsrLink(id);
      for (let j = offsets[id], stop = offsets[id + 1]; j < stop; j++) {
        const v = neighbours[j];
        link.toId = v;
        if (visit(node(v), link) === true) return true;
      }
      return false;
    },
  };
}
