/**
 * Syslog receiver (issue 4): security devices and hosts send syslog (UDP or TCP, RFC 3164 or RFC 5424, octet-counting
 * or newline framing) to Zhengyun; each sender address is registered as a source (provider, node, device), and its
 * messages are stored in the security-device log (安全设备日志) or host log (主机日志) interface tables through the
 * ingestion writer.
 *
 * - `SyslogSourcesService`: sources CRUD (ingest:config) and reads (ingest:read, a provider its own).
 * - `SyslogReceiver`: listens, maps, buffers and flushes; `start({ host, port })` (port 0: a free one) and `stop()`.
 * - `registerSyslogRoutes`: /api/syslog/sources and /api/syslog/status.
 * - `parseSyslog`, `FrameDecoder`: the pure parser and TCP framing, reused by the simulator and benchmarks.
 */
export { SyslogSourcesService } from './sources.service.js';
export { SyslogReceiver, type ReceiverAddress, type ReceiverTuning, type SourceProvider } from './receiver.js';
export { registerSyslogRoutes } from './sources.routes.js';
export { parseSyslog, formatShanghai, type SyslogMessage, type SdElement } from './parser.js';
export { FrameDecoder, MAX_FRAME_BYTES } from './framing.js';
export { mapMessage, type SourceEntry, type SourceKind } from './mapping.js';
