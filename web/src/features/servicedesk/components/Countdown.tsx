import { Tag, Tooltip } from 'antd';
import { useTranslation } from 'react-i18next';
import type { Ticket } from '../servicedesk.api';

const COLOURS = { green: 'green', yellow: 'gold', red: 'red', grey: 'default' } as const;

/** The SLA countdown of the first running clock (or the worst one), coloured green / yellow (≥ 75 %) / red / grey. */
export function Countdown({ ticket }: { ticket: Ticket }) {
  const { t } = useTranslation();
  const clocks = ticket.clocks.filter((c) => c.state === 'running' || c.state === 'breached' || c.state === 'paused');
  const c = clocks.find((x) => x.state === 'breached') ?? clocks[0];
  if (!c) return <Tag>{t('sd.none')}</Tag>;
  const left = Math.round(c.targetMinutes - c.elapsedMinutes);
  const text = c.state === 'paused' ? t('sd.clockStates.paused') : left >= 0 ? t('sd.left', { m: left }) : t('sd.over', { m: -left });
  return (
    <Tooltip title={`${t(`sd.clocks.${c.clock}`)} · ${t('sd.elapsed', { e: c.elapsedMinutes, t: c.targetMinutes })} · ${t(`sd.schedules.${c.schedule}`)}`}>
      <Tag color={COLOURS[c.colour]} data-testid={`countdown-${ticket.ticketNo}`} data-colour={c.colour}>
        {t(`sd.clocks.${c.clock}`)} {text}
      </Tag>
    </Tooltip>
  );
}
