/** Texts of this feature: merged into the translation resources under `inventory` (and `errors` for error codes). */
export const zh = {
  inventory: {},
  errors: {},
};

export const en: typeof zh = {
  inventory: {},
  errors: {},
};
