/** Short random ids that satisfy NodeIdSchema (letters, digits, "_" and "-"). */
export declare function newId(prefix: string): string;
export declare function edgeId(source: string, port: string, target: string): string;
