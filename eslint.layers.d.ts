/** Every folder of src/ and the folders it may import ("everything": the composition root). */
export declare const LAYERS: Record<string, readonly string[] | "everything">;
/** Folders that touch no file system, process or clock. */
export declare const PURE: readonly string[];
export declare const layerRules: unknown[];
