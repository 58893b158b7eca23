/**
 * Preloaded (`--import ./bench/cluster-preload.ts`) into every node the cluster bench starts
 * (all three set-ups alike), and only there. It stops the report recorder, which still writes
 * its presence samples with `talk.record` (a local append, single node only): in cluster mode
 * that append takes a seq in the node's SQLite mirror that the Redis log then assigns to the
 * next real event, and the node dies on "UNIQUE constraint failed: events.talk, events.seq"
 * about 10 s after its audience changed. Remove this once the recorder commits through the log.
 * The recorder costs one room count a second, so leaving it out changes no fan-out figure.
 */
import { ReportRecorder } from '../server/features/report/recorder.ts';

ReportRecorder.prototype.start = function start(): void {};
ReportRecorder.prototype.stop = function stop(): void {};
