/**
 * A read-only ngraph view over the CSR: the small interface ngraph.path programs
 * against (getNode, forEachLinkedNode), so its path finders run on graphs of
 * millions of nodes without building ngraph.graph's objects (~280 bytes per
 * edge). Node objects are made only for the nodes a search touches, and reused,
 * since ngraph.path compares them by identity.
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
  /** Calls `visit` for each neighbour (out-neighbour when directed); stops when it returns true. */
  forEachLinkedNode(id: number, visit: (node: ViewNode, link: ViewLink) => boolean | void, oriented?: boolean): boolean;
}

export function ngraphView(csr: Csr): NgraphView {
  const { n, offsets, neighbours } = csr;
  const made = new Map<number, ViewNode>();
  const node = (id: number): ViewNode => {
    let x = made.get(id);
    if (!x) {
      x = { id, links: null, data: undefined };
      made.set(id, x);
    }
    return x;
  };
  return {
    getNode: (id) => (Number.isInteger(id) && id >= 0 && id < n ? node(id) : undefined),
    getNodesCount: () => n,
    getLinksCount: () => (csr.directed ? offsets[n] : offsets[n] / 2),
    forEachLinkedNode(id, visit) {
      const end = offsets[id + 1];
      for (let j = offsets[id]; j < end; j++) {
        const v = neighbours[j];
        if (visit(node(v), { id: `${id}-${v}`, fromId: id, toId: v, data: undefined }) === true) return true;
      }
      return false;
    },
  };
}
