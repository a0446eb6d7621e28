// Preloaded into the bot the ack benchmark starts (`node --import ./scripts/bench/loop-probe.mjs
// scripts/bot.ts`, see slack.ts): the bot exposes no event-loop or CPU figure of its own, and
// both can only be measured from inside its process. It does nothing unless the process has
// an IPC channel to its parent (only the benchmark starts it so); then it keeps a histogram
// of the event loop's delay and answers two messages: `reset` (a new measurement starts)
// and `read` (the histogram since the reset, and the CPU time the process has used in all).
// Its cost is a native histogram sampled every 5 ms.
import { monitorEventLoopDelay } from 'node:perf_hooks';

if (typeof process.send === 'function') {
  const delay = monitorEventLoopDelay({ resolution: 5 });
  delay.enable();
  process.on('message', (message) => {
    if (message?.probe === 'reset') delay.reset();
    else if (message?.probe !== 'read') return;
    const cpu = process.cpuUsage();
    process.send?.({
      probe: message.probe,
      loopDelayP99Ms: delay.percentile(99) / 1e6,
      loopDelayMaxMs: delay.max / 1e6,
      cpuMicros: cpu.user + cpu.system,
    });
  });
  // The channel must not keep the bot alive after it has stopped serving.
  process.channel?.unref();
}
