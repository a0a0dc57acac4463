/** Defines the published-package tests (built files exist, publint --strict, attw --pack) for the package in `root`. */
export declare function describePublishedPackage(root: string): void;
/** Defines the registry-augmentation checks of a plugin package (`entries`: registry lines its declarations must contain). */
export declare function describePluginDeclarations(root: string, entries: readonly string[]): void;
