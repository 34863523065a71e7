// Preloaded (NODE_OPTIONS=--import) into a server by bench/cpu-profile/run.ts: a CPU profile of
// this process from its first SIGUSR2 until it exits, written to CPU_PROFILE_DIR. (`--cpu-prof`
// itself is not allowed in NODE_OPTIONS, and would include start-up and warm-up.)
import inspector from 'node:inspector';
import fs from 'node:fs';

const session = new inspector.Session();
session.connect();
let started = false;
process.on('SIGUSR2', () => {
  if (started) return;
  started = true;
  session.post('Profiler.enable', () => session.post('Profiler.setSamplingInterval', { interval: 200 }, () => session.post('Profiler.start')));
});
process.on('exit', () => {
  if (!started) return;
  // An in-process session answers synchronously, so this runs before the process is gone.
  session.post('Profiler.stop', (error, result) => {
    if (!error) fs.writeFileSync(`${process.env.CPU_PROFILE_DIR}/${process.pid}.cpuprofile`, JSON.stringify(result.profile));
  });
});
