// Types of compress.mjs for the web app's tests (tests/compress.test.ts).

/** One compressible file of the build and the sizes of its copies (null: none written). */
export interface CompressedFile {
  file: string;
  bytes: number;
  br: number | null;
  gzip: number | null;
}

export function compressDist(dist: string): Promise<CompressedFile[]>;
