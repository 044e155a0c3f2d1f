/** Texts of this feature: merged into the translation resources under `ingestion` (and `errors` for error codes). */
export const zh = {
  ingestion: {},
  errors: {},
};

export const en: typeof zh = {
  ingestion: {},
  errors: {},
};
