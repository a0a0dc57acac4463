// The package entry. Its exports land with the package issue.
export {};
