/** Texts of this feature: merged into the translation resources under `credentials` (and `errors` for error codes). */
export const zh = {
  credentials: {},
  errors: {},
};

export const en: typeof zh = {
  credentials: {},
  errors: {},
};
