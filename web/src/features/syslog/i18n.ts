/** Texts of this feature: merged into the translation resources under `syslog` (and `errors` for error codes). */
export const zh = {
  syslog: {},
  errors: {},
};

export const en: typeof zh = {
  syslog: {},
  errors: {},
};
