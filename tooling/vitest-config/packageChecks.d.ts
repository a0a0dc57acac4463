/** Defines the published-package tests (built files exist, publint --strict, attw --pack) for the package in `root`. */
export declare function describePublishedPackage(root: string): void;
