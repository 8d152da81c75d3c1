/** Jest's globalTeardown: removes the run's temporary folder in /dev/shm (see ram-tmpdir.mjs). */
export { teardown as default } from './ram-tmpdir.mjs';
