export declare const registry: import("@siyu/shared").NodeRegistry;
