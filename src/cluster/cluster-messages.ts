/** What the primary and its workers say to each other over the cluster's IPC channel. */
export const SHUTDOWN = 'keel:shutdown';
