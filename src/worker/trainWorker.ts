// Filled in with the extension: runs one sampler's training off the extension host thread.
export {};
