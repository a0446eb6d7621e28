// Preloaded into the bot the ack benchmark starts (`node --import ./scripts/bench/loop-probe.mjs
// scripts/bot.ts`, see slack.ts): the bot exposes no event-loop or CPU figure of its own, and
// both can only be measured from inside its process. It does nothing unless the process has
// an IPC channel to its parent (only the benchmark starts it so); then it keeps a histogram
// of the event loop's delay and answers two messages: `reset` (a new measurement starts)
// and `read` (the histogram since the reset, and the CPU time the process has used in all).
// Its cost is a native histogram sampled every 5 ms.
//
// With BENCH_PROFILE=<dir> in the benchmark's environment it also records, from each reset to
// the next read, the bot's main thread (the thread that acks; the ask thread is not in it):
// a CPU profile (<dir>/ack-<n>.cpuprofile) and a sampled allocation profile of everything
// allocated meanwhile, collected or not (<dir>/ack-<n>.heapprofile); open either in Chrome
// DevTools. What stalls the acks can only be seen from inside, and `node --cpu-prof` writes
// its profile only at exit, after the benchmark has stopped looking.
import { mkdirSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';

function profiler(dir) {
  mkdirSync(dir, { recursive: true });
  const session = new Session();
  session.connect();
  const post = (method, params = {}) =>
    new Promise((resolve, reject) => session.post(method, params, (error, result) => (error ? reject(error) : resolve(result))));
  let running = false;
  let written = 0;
  return {
    async start() {
      if (running) return;
      await post('Profiler.enable');
      await post('Profiler.setSamplingInterval', { interval: 200 });
      await post('Profiler.start');
      await post('HeapProfiler.startSampling', { samplingInterval: 16384, includeObjectsCollectedByMajorGC: true, includeObjectsCollectedByMinorGC: true });
      running = true;
    },
    async stop() {
      if (!running) return;
      running = false;
      const cpu = await post('Profiler.stop');
      const heap = await post('HeapProfiler.stopSampling');
      written++;
      writeFileSync(join(dir, `ack-${written}.cpuprofile`), JSON.stringify(cpu.profile));
      writeFileSync(join(dir, `ack-${written}.heapprofile`), JSON.stringify(heap.profile));
    },
  };
}

if (typeof process.send === 'function') {
  const delay = monitorEventLoopDelay({ resolution: 5 });
  delay.enable();
  const cpuProfile = process.env.BENCH_PROFILE ? profiler(process.env.BENCH_PROFILE) : null;
  process.on('message', async (message) => {
    if (message?.probe === 'reset') {
      delay.reset();
      await cpuProfile?.start();
    } else if (message?.probe === 'read') {
      await cpuProfile?.stop();
    } else return;
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
