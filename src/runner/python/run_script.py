# Minibatch Lab: runs a learner's training script as itself, seeded, and reports what it evaluates.
#
# Started as `python -c <this file>` by src/runner/scriptRuns.ts. stdin holds one JSON object (the instrumented source and
# what to report); it is read to the end, then stdin becomes /dev/null so `input()` ends at once instead of waiting.
# The protocol (one JSON object per line) goes to the original stdout; the script's own output goes to stderr.
# The instrumented source keeps the user's line numbers (or comes with a map back to them), so tracebacks name real lines.
import os
import sys


def _main():
    import builtins
    import json
    import linecache
    import threading
    import time
    import traceback
    import types
    import warnings

    payload = json.loads(sys.stdin.buffer.read().decode('utf-8'))
    null = os.open(os.devnull, os.O_RDONLY)
    os.dup2(null, 0)
    os.close(null)
    proto = os.fdopen(os.dup(1), 'w', encoding='utf-8')
    os.dup2(2, 1)
    lock = threading.Lock()

    def send(obj):
        with lock:
            proto.write(json.dumps(obj) + '\n')
            proto.flush()

    path = payload['path']
    folder = os.path.dirname(path)
    line_map = payload.get('lineMap')

    def real_line(filename, lineno):
        if filename == path and line_map and lineno is not None and 0 < lineno <= len(line_map):
            return line_map[lineno - 1]
        return lineno

    # A watchdog: if the editor or CLI that started us dies, take our whole process group with us.
    if os.name == 'posix' and payload.get('ownGroup') and os.getpgrp() == os.getpid():
        parent = os.getppid()

        def watch():
            while True:
                time.sleep(1)
                if os.getppid() != parent:
                    os.killpg(0, 9)

        threading.Thread(target=watch, daemon=True).start()

    os.chdir(folder)
    sys.path[0] = folder
    sys.argv = [path]
    try:
        import numpy as np
    except ImportError as e:
        send({'t': 'nonumpy', 'message': str(e), 'executable': sys.executable})
        return 3
    warnings.filterwarnings('ignore', message='.*non-GUI backend.*')
    warnings.filterwarnings('ignore', message='.*FigureCanvasAgg is non-interactive.*')
    np.random.seed(payload['seed'])
    send({'t': 'start', 'python': sys.version.split()[0], 'numpy': np.__version__, 'executable': sys.executable})

    roles = payload.get('roles') or {}
    every = payload.get('reportEverySeconds', 0.25)
    static_train = payload.get('trainSize')
    static_batch = payload.get('batchSize')

    class Hooks:
        """What the instrumented source calls: each hook returns its argument unchanged."""

        def __init__(self):
            self.loops = 0
            self.batches = 0
            self.started = False
            self.pending = None
            self.losses = []
            self.loss_from = 0
            self.last_report = 0.0
            self.epoch = None

        def iteration(self):
            return (self.batches if self.batches > 0 else self.loops) - 1

        def loop(self, iterable):
            for item in iterable:
                self.loops += 1
                if not self.started:
                    self.started = True
                    self._read_settings(sys._getframe(1), iterable)
                    send({'t': 'loop'})
                yield item

        def batch(self, mask):
            self._flush_eval()
            self.batches += 1
            try:
                self._count(mask)
            except Exception:
                pass
            self._tick()
            return mask

        def acc_train(self, value):
            return self._acc('train', value)

        def acc_test(self, value):
            return self._acc('test', value)

        def acc(self, value):
            return self._acc('', value)

        def _acc(self, kind, value):
            try:
                v = float(value)
            except Exception:
                return value
            it = self.iteration()
            p = self.pending
            if p is not None and p['iter'] != it:
                self._flush_eval()
                p = None
            if p is None:
                p = self.pending = {'iter': it, 'train': None, 'test': None}
            slot = kind if kind in ('train', 'test') else ('train' if p['train'] is None else 'test')
            if p[slot] is None:
                p[slot] = v
            if p['train'] is not None and p['test'] is not None:
                self._flush_eval()
            return value

        def loss(self, value):
            try:
                v = float(value)
            except Exception:
                return value
            if not self.losses:
                self.loss_from = max(self.iteration(), 0)
            self.losses.append(v)
            self._tick()
            return value

        def _tick(self):
            now = time.monotonic()
            if now - self.last_report >= every:
                self.last_report = now
                self._flush_losses()
                send({'t': 'progress', 'iter': self.batches})

        def _flush_losses(self):
            if self.losses:
                send({'t': 'loss', 'from': self.loss_from, 'losses': self.losses})
                self.losses = []

        def _flush_eval(self):
            p = self.pending
            if p is not None:
                self.pending = None
                self._flush_losses()
                send({'t': 'eval', 'iter': p['iter'], 'trainAcc': p['train'], 'testAcc': p['test']})
                send({'t': 'progress', 'iter': self.batches})

        def finish(self):
            self._flush_eval()
            self._flush_losses()
            self._close_epoch(True)

        def _read_settings(self, frame, iterable):
            found = {}
            try:
                found['loopLength'] = len(iterable)
            except Exception:
                pass

            def lookup(name):
                if name in frame.f_locals:
                    return frame.f_locals[name]
                return frame.f_globals.get(name)

            for role, name in roles.items():
                try:
                    value = lookup(name)
                    if role == 'net':
                        w1 = getattr(value, 'params', {}).get('W1')
                        if w1 is not None:
                            found['hidden'] = int(w1.shape[1])
                    elif isinstance(value, (int, float, np.integer, np.floating)) and not isinstance(value, bool):
                        found[role] = value.item() if hasattr(value, 'item') else value
                except Exception:
                    pass
            send({'t': 'settings', 'values': found})
            global_train = found.get('trainSize', static_train)
            global_batch = found.get('batchSize', static_batch)
            if isinstance(global_train, (int, float)) and isinstance(global_batch, (int, float)) and global_train >= 1 and global_batch >= 1:
                n = int(global_train)
                self.epoch = {'n': n, 'per': -(-n // int(global_batch)), 'counts': np.zeros(n, dtype=np.int64), 'index': 0, 'first': 0, 'batches': 0, 'draws': 0, 'dup': 0}

        def _count(self, mask):
            e = self.epoch
            if e is None:
                return
            idx = np.asarray(mask)
            if idx.dtype == bool:
                idx = np.flatnonzero(idx)
            idx = idx.ravel().astype(np.int64)
            if e['batches'] == 0:
                e['first'] = self.batches - 1
            if len(np.unique(idx)) < len(idx):
                e['dup'] += 1
            np.add.at(e['counts'], idx, 1)
            e['batches'] += 1
            e['draws'] += len(idx)
            if e['batches'] == e['per']:
                self._close_epoch(False)

        def _close_epoch(self, partial):
            e = self.epoch
            if e is None or e['batches'] == 0:
                return
            c = e['counts']
            send({'t': 'epoch', 'stats': {
                'epoch': e['index'], 'firstIter': e['first'], 'batches': e['batches'], 'draws': e['draws'],
                'coverage': int(np.count_nonzero(c)) / e['n'], 'duplicateBatches': e['dup'], 'maxDraws': int(c.max()),
                'partial': partial}})
            c[:] = 0
            e['index'] += 1
            e['batches'] = e['draws'] = e['dup'] = 0

    hooks = Hooks()
    builtins._minibatch_lab = hooks

    module = types.ModuleType('__main__')
    module.__file__ = path
    module.__builtins__ = builtins
    sys.modules['__main__'] = module

    def report(e, tb_frames):
        frames = []
        for f in tb_frames:
            line = real_line(f.filename, f.lineno)
            frames.append({'file': f.filename, 'line': line, 'name': f.name, 'text': (linecache.getline(f.filename, line) or '').strip() if line else ''})
        # The innermost frame in the learner's own files, not in NumPy or the standard library.
        libs = tuple(p for p in {sys.prefix, sys.base_prefix, sys.exec_prefix, os.path.dirname(os.__file__), os.path.dirname(np.__file__)} if p)
        own = [f for f in frames if f['file'] and not f['file'].startswith('<') and not f['file'].startswith(libs)]
        at = own[-1] if own else (frames[-1] if frames else {'file': path, 'line': None})
        in_script = [f for f in frames if f['file'] == path]
        summary = traceback.StackSummary.from_list([(f['file'], f['line'] or 0, f['name'], f['text']) for f in frames])
        trace = 'Traceback (most recent call last):\n' + ''.join(summary.format()) + ''.join(traceback.format_exception_only(type(e), e))
        sys.stderr.write(trace)
        send({'t': 'error', 'type': type(e).__name__, 'message': str(e), 'file': at['file'], 'line': at['line'],
              'scriptLine': in_script[-1]['line'] if in_script else None, 'trace': trace})

    started = time.monotonic()
    code = 0
    try:
        compiled = compile(payload['source'], path, 'exec', dont_inherit=True)
        exec(compiled, module.__dict__)
    except SyntaxError as e:
        if e.filename == path:
            e.lineno = real_line(path, e.lineno)
            report(e, [traceback.FrameSummary(path, e.lineno, '<module>', line=(e.text or '').strip())])
        else:
            report(e, traceback.extract_tb(e.__traceback__)[1:])
        code = 1
    except SystemExit as e:
        if e.code not in (None, 0):
            send({'t': 'exit', 'code': e.code if isinstance(e.code, int) else 1, 'message': '' if isinstance(e.code, int) else str(e.code)})
            code = 1
    except BaseException as e:
        # The first frame is this shim's exec; the learner's frames follow.
        report(e, traceback.extract_tb(e.__traceback__)[1:])
        code = 1
    finally:
        hooks.finish()
        sys.stdout.flush()
    send({'t': 'done', 'seconds': time.monotonic() - started, 'iterations': hooks.batches or hooks.loops})
    return code


sys.exit(_main())
