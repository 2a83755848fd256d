export declare function iconFor(icon: string, category: string): string;
export declare const CATEGORY_COLORS: Record<string, string>;
