/** Texts of this feature: merged into the translation resources under `quality` (and `errors` for error codes). */
export const zh = {
  quality: {},
  errors: {},
};

export const en: typeof zh = {
  quality: {},
  errors: {},
};
