import { type JourneyGraph, type NodeRegistry } from '@siyu/shared';
/** A long generated journey (chains of non-entry nodes after one entry) for performance checks. */
export declare function largeJourney(registry: NodeRegistry, size: number): JourneyGraph;
