/** A unit of data moving through the pipeline. */
export interface Chunk {
  id: number;
  file: number;
  bytes: number;
  /** Checksum of the chunk's content (content itself is not simulated). */
  checksum: number;
}

/** Splits the dataset into files of `fileBytes` and each file into chunks of `chunkBytes`. */
export function planChunks(datasetBytes: number, fileBytes: number, chunkBytes: number): Chunk[] {
  const chunks: Chunk[] = [];
  let file = 0;
  for (let fileStart = 0; fileStart < datasetBytes; fileStart += fileBytes, file++) {
    const fileSize = Math.min(fileBytes, datasetBytes - fileStart);
    for (let off = 0; off < fileSize; off += chunkBytes) {
      const id = chunks.length;
      chunks.push({ id, file, bytes: Math.min(chunkBytes, fileSize - off), checksum: contentChecksum(id, 0) });
    }
  }
  return chunks;
}

/** How many chunks planChunks makes, without making them (a million-chunk plan is a million objects). */
export function chunkCount(datasetBytes: number, fileBytes: number, chunkBytes: number): number {
  if (datasetBytes <= 0) return 0;
  const full = Math.floor(datasetBytes / fileBytes);
  const rest = datasetBytes - full * fileBytes;
  return full * Math.ceil(fileBytes / chunkBytes) + (rest > 0 ? Math.ceil(rest / chunkBytes) : 0);
}

/**
 * Chunk `id` of the plan planChunks makes, computed from its id alone
 * (files of `fileBytes`, each cut into chunks of `chunkBytes`, the last of
 * each file and the last file shorter): the same object planChunks has at
 * that index, without making the others.
 */
export function chunkAt(id: number, datasetBytes: number, fileBytes: number, chunkBytes: number): Chunk {
  const perFile = Math.ceil(fileBytes / chunkBytes);
  const file = Math.floor(id / perFile);
  const fileSize = Math.min(fileBytes, datasetBytes - file * fileBytes);
  const bytes = Math.min(chunkBytes, fileSize - (id % perFile) * chunkBytes);
  return { id, file, bytes, checksum: contentChecksum(id, 0) };
}

/** A stand-in for a content hash: FNV-1a over the chunk id and a version tag. */
export function contentChecksum(chunkId: number, version: number): number {
  let h = 0x811c9dc5;
  for (const v of [chunkId, version]) {
    for (let i = 0; i < 4; i++) {
      h ^= (v >>> (i * 8)) & 0xff;
      h = Math.imul(h, 0x01000193) >>> 0;
    }
  }
  return h;
}

/**
 * Each chunk's key, made once per process and shared: every replica's disk
 * entry, ground truth's index of holders and every lookup (scrubs, copies,
 * the checkers, the durability collector) use the same string, so a lookup
 * finds its hash already computed and compares by identity, and the three
 * replicas of a chunk hold one string between them, not three. Kept for the
 * process (a key per chunk id used, as the disks hold them anyway while a
 * run lasts); the value is the same whoever makes it first.
 */
const keys: string[] = [];

export const chunkKey = (id: number): string => {
  let key = keys[id];
  if (key !== undefined) return key;
  key = `chunk/${id}`;
  // Ids come roughly in order: the table grows at its end and stays a packed array. One far past it is not kept.
  if (Number.isInteger(id) && id >= 0 && id <= keys.length + 1024) {
    while (keys.length < id) keys.push(`chunk/${keys.length}`);
    keys[id] = key;
  }
  return key;
};

/** The batch chunk `id` of `total` arrives in, when the dataset comes in `batches` equal runs of consecutive chunks. */
export const batchOf = (id: number, total: number, batches: number): number => Math.floor((id * batches) / Math.max(1, total));
