import { Decimal } from 'decimal.js';

/**
 * Money and exact quantities: decimal arithmetic only (never JavaScript floats). Amounts are 元 with line amounts
 * rounded half-up to 0.01; totals are sums of rounded lines; splits add up to the total exactly.
 */
export const Dec = Decimal.clone({ precision: 40, rounding: Decimal.ROUND_HALF_UP });
export type Dec = Decimal;

const DECIMAL_TEXT = /^-?\d+(\.\d+)?$/;

/** Parses a decimal written as text (or an integer); refuses floats' binary noise, exponents and stray characters. */
export function parseDecimal(value: string | number | bigint, opts: { maxDecimals?: number } = {}): Decimal {
  let text: string;
  if (typeof value === 'bigint') text = value.toString();
  else if (typeof value === 'number') {
    if (!Number.isSafeInteger(value)) throw new RangeError(`${value} is not a whole number: pass decimals as text`);
    text = String(value);
  } else text = value.trim();
  if (!DECIMAL_TEXT.test(text)) throw new RangeError(`"${text}" is not a decimal number`);
  const decimals = text.includes('.') ? text.length - text.indexOf('.') - 1 : 0;
  if (opts.maxDecimals !== undefined && decimals > opts.maxDecimals) {
    throw new RangeError(`"${text}" has ${decimals} decimals; at most ${opts.maxDecimals} are allowed`);
  }
  return new Dec(text);
}

/** Rounds half-up to 0.01 元. */
export function roundYuan(amount: Decimal): Decimal {
  return amount.toDecimalPlaces(2, Decimal.ROUND_HALF_UP);
}

/** Sum of amounts, exact. */
export function sum(values: Iterable<Decimal>): Decimal {
  let total = new Dec(0);
  for (const v of values) total = total.plus(v);
  return total;
}

/** Fixed two-decimal text of an amount (`1234.50`), the form stored and shown. */
export function formatYuan(amount: Decimal): string {
  return roundYuan(amount).toFixed(2);
}

/**
 * Splits a total into parts by percentages (e.g. 50, 16.67, 33.33) so that the rounded parts add up to the total
 * exactly: every part but the last is rounded half-up to 0.01, the last takes the remainder.
 * The percentages must add up to 100.
 */
export function splitByPercentages(total: Decimal, percentages: readonly Decimal[]): Decimal[] {
  if (percentages.length === 0) throw new RangeError('at least one percentage is needed');
  const pctSum = sum(percentages);
  if (!pctSum.equals(100)) throw new RangeError(`percentages add up to ${pctSum.toString()}, not 100`);
  if (percentages.some((p) => p.isNegative())) throw new RangeError('percentages cannot be negative');
  const rounded = roundYuan(total);
  const parts = percentages.slice(0, -1).map((p) => roundYuan(rounded.times(p).dividedBy(100)));
  parts.push(rounded.minus(sum(parts)));
  return parts;
}

const DIGITS = ['零', '壹', '贰', '叁', '肆', '伍', '陆', '柒', '捌', '玖'];
const SMALL_UNITS = ['', '拾', '佰', '仟'];
const BIG_UNITS = ['', '万', '亿', '万亿'];

/**
 * Chinese uppercase amount (大写金额) as written on contracts and invoices: 1213440 → 壹佰贰拾壹万叁仟肆佰肆拾元整,
 * 1000.05 → 壹仟元零伍分, 0.5 → 伍角. Negative amounts get 负.
 */
export function toChineseUppercase(amount: Decimal): string {
  const rounded = roundYuan(amount);
  if (rounded.isZero()) return '零元整';
  const negative = rounded.isNegative();
  const [intText = '0', fracText = '00'] = rounded.abs().toFixed(2).split('.');
  if (intText.length > 16) throw new RangeError('amount too large for a Chinese uppercase amount');
  let out = '';
  if (intText !== '0') {
    const groups: string[] = [];
    for (let end = intText.length; end > 0; end -= 4) groups.unshift(intText.slice(Math.max(0, end - 4), end));
    let pendingZero = false;
    groups.forEach((group, gi) => {
      const bigUnit = BIG_UNITS[groups.length - 1 - gi]!;
      let groupText = '';
      for (let i = 0; i < group.length; i++) {
        const d = Number(group[i]);
        const unit = SMALL_UNITS[group.length - 1 - i]!;
        if (d === 0) {
          pendingZero = true;
        } else {
          if (pendingZero && (groupText !== '' || out !== '')) groupText += '零';
          pendingZero = false;
          groupText += DIGITS[d]! + unit;
        }
      }
      if (groupText !== '') {
        out += groupText + bigUnit;
        // Zeros that end a group are not read before the next one (壹拾万壹仟); zeros that start one are (壹佰万零壹佰).
        pendingZero = false;
      }
    });
    out += '元';
  }
  const jiao = Number(fracText[0]);
  const fen = Number(fracText[1]);
  if (jiao === 0 && fen === 0) return (negative ? '负' : '') + out + '整';
  if (jiao > 0) out += DIGITS[jiao]! + '角';
  else if (out !== '') out += '零';
  if (fen > 0) out += DIGITS[fen]! + '分';
  return (negative ? '负' : '') + out;
}
