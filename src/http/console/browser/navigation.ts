/** Navigation inside the console: paths relative to its base path. */
export type Navigate = (path: string) => void;
