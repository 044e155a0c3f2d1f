/** Amounts are exact decimal strings from the server; this only groups digits for display (never through a float). */
export const yuan = (v: string | null | undefined): string => {
  if (v === null || v === undefined) return '—';
  const [i = '0', f = '00'] = v.replace(/^-/, '').split('.');
  return `${v.startsWith('-') ? '-' : ''}${i.replace(/\B(?=(\d{3})+(?!\d))/g, ',')}.${f.padEnd(2, '0')}`;
};
