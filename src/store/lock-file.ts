/** Name of the index writer lock under KOTAE_DATA_DIR (see lock.ts). */
export const INGEST_LOCK = 'ingest.lock';
