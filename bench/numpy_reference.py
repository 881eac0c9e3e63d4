#!/usr/bin/env python3
"""The book's chapter-4 training (ch04/train_neuralnet.py with ch04/two_layer_net.py) in NumPy, seeded, with a choice of sampler.

It is the reference that Minibatch Lab's numbers are checked against, and the recipe for reproducing them in Python:

  /usr/bin/python3 bench/numpy_reference.py --seed 0 --sampler replacement --json
  /usr/bin/python3 bench/numpy_reference.py --seed 0 --sampler epoch-shuffle --iters 1201 --json
  /usr/bin/python3 bench/numpy_reference.py --gradcheck --gradcheck-params 2000
  /usr/bin/python3 bench/numpy_reference.py --gradcheck --gradcheck-tensors b1,W2,b2 --delta 0   # the exact log

Order of random draws, as the book's code would make them after np.random.seed(seed): W1, W2, then one draw per batch
(replacement) or one shuffle per epoch (epoch-shuffle). MNIST idx files, raw or .gz, are read from --data.
"""
import argparse
import gzip
import json
import os
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def parse_args():
    ap = argparse.ArgumentParser(description='The book\'s chapter-4 TwoLayerNet on MNIST, in NumPy.')
    ap.add_argument('--iters', type=int, default=10000, help='iters_num')
    ap.add_argument('--batch-size', type=int, default=100)
    ap.add_argument('--lr', type=float, default=0.1, help='learning_rate')
    ap.add_argument('--hidden', type=int, default=50, help='hidden_size')
    ap.add_argument('--seed', type=int, default=0, help='np.random.seed(seed) before anything else')
    ap.add_argument('--train-size', type=int, default=None, help='use the first N training images (default: all)')
    ap.add_argument('--sampler', choices=['replacement', 'epoch-shuffle', 'sequential'], default='replacement')
    ap.add_argument('--data', default=os.path.join(ROOT, 'dist', 'data', 'mnist'), help='folder with the four MNIST idx files')
    ap.add_argument('--json', action='store_true', help='print one JSON object instead of the book\'s lines')
    ap.add_argument('--threads', type=int, default=1, help='BLAS threads (sets OPENBLAS_NUM_THREADS unless already set)')
    ap.add_argument('--gradcheck', action='store_true', help='time numerical_gradient against backprop on one batch')
    ap.add_argument('--gradcheck-params', type=int, default=None, help='time only N random parameters and extrapolate')
    ap.add_argument('--gradcheck-tensors', default='W1,b1,W2,b2', help='check only these parameters (W1 alone takes minutes with reference BLAS)')
    ap.add_argument('--delta', type=float, default=1e-7, help='the 1e-7 inside cross_entropy_error\'s log')
    ap.add_argument('--dtype', choices=['float64', 'float32'], default='float64',
                    help='float64 as the book computes; float32 casts the weights and labels after the same randn draws '
                         '(the pixels are float32 either way), the fair peer of a float32 kernel')
    return ap.parse_args()


args = parse_args()
# BLAS reads its thread count when it loads, so this has to precede the numpy import.
os.environ.setdefault('OPENBLAS_NUM_THREADS', str(args.threads))
os.environ.setdefault('OMP_NUM_THREADS', str(args.threads))
import numpy as np  # noqa: E402


# ---- data: dataset/mnist.py's load_mnist(normalize=True, one_hot_label=True) -------------------------------------

def read_idx(folder, name, magic):
    for path in (os.path.join(folder, name), os.path.join(folder, name + '.gz')):
        if os.path.exists(path):
            with (gzip.open if path.endswith('.gz') else open)(path, 'rb') as f:
                raw = f.read()
            break
    else:
        sys.exit(f'{name}(.gz) not found in {folder}')
    if int.from_bytes(raw[:4], 'big') != magic:
        sys.exit(f'{path}: not an idx file with magic 0x{magic:08x}')
    # The book reads labels from offset 8 and images from offset 16.
    return np.frombuffer(raw, np.uint8, offset=8 if magic == 0x801 else 16)


def load_mnist(folder):
    def images(name):
        x = read_idx(folder, name, 0x803).reshape(-1, 784).astype(np.float32)
        x /= 255.0  # float32, as the book does
        return x

    def one_hot(name):
        labels = read_idx(folder, name, 0x801)
        t = np.zeros((labels.size, 10))
        t[np.arange(labels.size), labels] = 1
        return t

    return (images('train-images-idx3-ubyte'), one_hot('train-labels-idx1-ubyte'),
            images('t10k-images-idx3-ubyte'), one_hot('t10k-labels-idx1-ubyte'))


# ---- common/functions.py and common/gradient.py -----------------------------------------------------------------

def sigmoid(x):
    return 1 / (1 + np.exp(-x))


def sigmoid_grad(x):
    return (1.0 - sigmoid(x)) * sigmoid(x)


def softmax(x):
    x = x - np.max(x, axis=-1, keepdims=True)
    return np.exp(x) / np.sum(np.exp(x), axis=-1, keepdims=True)


def cross_entropy_error(y, t, delta=1e-7):
    if y.ndim == 1:
        t = t.reshape(1, t.size)
        y = y.reshape(1, y.size)
    if t.size == y.size:
        t = t.argmax(axis=1)
    batch_size = y.shape[0]
    return -np.sum(np.log(y[np.arange(batch_size), t] + delta)) / batch_size


def numerical_gradient(f, x, only=None):
    """Central difference with h = 1e-4, one element at a time, restoring each; `only` limits it to some flat indices."""
    h = 1e-4
    grad = np.zeros_like(x)
    for flat in (range(x.size) if only is None else only):
        idx = np.unravel_index(flat, x.shape)
        tmp_val = x[idx]
        x[idx] = float(tmp_val) + h
        fxh1 = f(x)
        x[idx] = tmp_val - h
        fxh2 = f(x)
        grad[idx] = (fxh1 - fxh2) / (2 * h)
        x[idx] = tmp_val
    return grad


# ---- ch04/two_layer_net.py --------------------------------------------------------------------------------------

class TwoLayerNet:
    def __init__(self, input_size, hidden_size, output_size, weight_init_std=0.01, delta=1e-7):
        self.params = {}
        self.params['W1'] = weight_init_std * np.random.randn(input_size, hidden_size)
        self.params['b1'] = np.zeros(hidden_size)
        self.params['W2'] = weight_init_std * np.random.randn(hidden_size, output_size)
        self.params['b2'] = np.zeros(output_size)
        self.delta = delta

    def predict(self, x):
        W1, W2 = self.params['W1'], self.params['W2']
        b1, b2 = self.params['b1'], self.params['b2']
        a1 = np.dot(x, W1) + b1
        z1 = sigmoid(a1)
        a2 = np.dot(z1, W2) + b2
        return softmax(a2)

    def loss(self, x, t):
        return cross_entropy_error(self.predict(x), t, self.delta)

    def accuracy(self, x, t):
        y = np.argmax(self.predict(x), axis=1)
        t = np.argmax(t, axis=1)
        return np.sum(y == t) / float(x.shape[0])

    def gradient(self, x, t):
        W1, W2 = self.params['W1'], self.params['W2']
        b1, b2 = self.params['b1'], self.params['b2']
        grads = {}
        batch_num = x.shape[0]
        # forward
        a1 = np.dot(x, W1) + b1
        z1 = sigmoid(a1)
        a2 = np.dot(z1, W2) + b2
        y = softmax(a2)
        # backward
        dy = (y - t) / batch_num
        grads['W2'] = np.dot(z1.T, dy)
        grads['b2'] = np.sum(dy, axis=0)
        da1 = np.dot(dy, W2.T)
        dz1 = sigmoid_grad(a1) * da1
        grads['W1'] = np.dot(x.T, dz1)
        grads['b1'] = np.sum(dz1, axis=0)
        return grads


# ---- samplers: the book's draw, and the per-epoch shuffle --------------------------------------------------------

def make_sampler(kind, train_size, batch_size):
    if kind == 'replacement':
        while True:
            yield np.random.choice(train_size, batch_size)
    while True:  # a new order when the previous one is used up; consecutive slices, the last one short
        order = np.arange(train_size)
        if kind == 'epoch-shuffle':
            np.random.shuffle(order)
        for start in range(0, train_size, batch_size):
            yield order[start:start + batch_size]


# ---- runs -------------------------------------------------------------------------------------------------------

def blas_name():
    """The BLAS library actually mapped into this process (Debian's libblas.so.3 may be reference BLAS or OpenBLAS)."""
    np.dot(np.ones((2, 2)), np.ones((2, 2)))
    try:
        with open('/proc/self/maps') as f:
            libs = {line.split()[-1] for line in f if 'blas' in line.lower() and '/' in line}
        return ', '.join(sorted(os.path.relpath(p, os.path.dirname(os.path.dirname(p))) for p in libs)) or 'unknown'
    except OSError:
        return 'unknown'


def train(x_train, t_train, x_test, t_test):
    np.random.seed(args.seed)
    started = time.perf_counter()
    cpu_started = time.process_time()
    network = TwoLayerNet(input_size=784, hidden_size=args.hidden, output_size=10, delta=args.delta)
    if args.dtype == 'float32':
        # After the draws, so the initial weights are the float64 ones rounded; NumPy 2 keeps float32 through
        # the Python-float scalars (learning rate, 1e-7), so every product and sum below is float32.
        for key in network.params:
            network.params[key] = network.params[key].astype(np.float32)
        t_train, t_test = t_train.astype(np.float32), t_test.astype(np.float32)
    train_size = x_train.shape[0]
    batch_size = args.batch_size
    learning_rate = args.lr
    iter_per_epoch = max(train_size / batch_size, 1)
    batches = make_sampler(args.sampler, train_size, batch_size)
    train_loss_list, evals = [], []
    eval_seconds = 0.0

    for i in range(args.iters):
        batch_mask = next(batches)
        x_batch = x_train[batch_mask]
        t_batch = t_train[batch_mask]
        grad = network.gradient(x_batch, t_batch)
        for key in ('W1', 'b1', 'W2', 'b2'):
            network.params[key] -= learning_rate * grad[key]
        loss = network.loss(x_batch, t_batch)
        train_loss_list.append(loss)

        if i % iter_per_epoch == 0:
            t0 = time.perf_counter()
            train_acc = network.accuracy(x_train, t_train)
            test_acc = network.accuracy(x_test, t_test)
            eval_seconds += time.perf_counter() - t0
            epoch = i / iter_per_epoch
            evals.append({'iter': i, 'epoch': int(epoch) if epoch == int(epoch) else epoch,
                          'trainAcc': float(train_acc), 'testAcc': float(test_acc)})
            if not args.json:
                print('train acc, test acc | ' + str(train_acc) + ', ' + str(test_acc))

    seconds = time.perf_counter() - started
    cpu_seconds = time.process_time() - cpu_started
    train_seconds = seconds - eval_seconds
    return {
        'numpy': np.__version__,
        'blas': blas_name(),
        'python': sys.executable,
        'settings': {'iters': args.iters, 'batchSize': batch_size, 'lr': learning_rate, 'hidden': args.hidden,
                     'trainSize': train_size, 'seed': args.seed, 'sampler': args.sampler, 'delta': args.delta,
                     'dtype': args.dtype},
        'dtype': str(network.params['W1'].dtype),
        'seconds': seconds,
        'cpuSeconds': cpu_seconds,
        'trainSeconds': train_seconds,
        'evalSeconds': eval_seconds,
        'msPerIter': 1000 * train_seconds / max(args.iters, 1),
        'secondsPerEval': eval_seconds / len(evals) if evals else None,
        'evals': evals,
        'finalLoss': float(train_loss_list[-1]) if train_loss_list else None,
    }


def gradcheck(x_train, t_train):
    """ch04-style check on the first batch after the seed: numerical_gradient (h = 1e-4) against gradient()."""
    np.random.seed(args.seed)
    network = TwoLayerNet(input_size=784, hidden_size=args.hidden, output_size=10, delta=args.delta)
    batch_mask = np.random.choice(x_train.shape[0], args.batch_size)
    x_batch, t_batch = x_train[batch_mask], t_train[batch_mask]

    times = []
    for _ in range(20):
        t0 = time.perf_counter()
        grad_backprop = network.gradient(x_batch, t_batch)
        times.append(time.perf_counter() - t0)
    backprop_seconds = sorted(times)[len(times) // 2]

    names = tuple(k for k in ('W1', 'b1', 'W2', 'b2') if k in args.gradcheck_tensors.split(','))
    sizes = [network.params[k].size for k in names]
    total = sum(sizes)
    # Which flat indices of each parameter to check: all, or N drawn without replacement by a separate generator.
    if args.gradcheck_params is None or args.gradcheck_params >= total:
        picks = {k: None for k in names}
        timed = total
    else:
        chosen = np.sort(np.random.RandomState(args.seed).choice(total, args.gradcheck_params, replace=False))
        bounds = np.cumsum([0] + sizes)
        picks = {k: chosen[(chosen >= bounds[j]) & (chosen < bounds[j + 1])] - bounds[j] for j, k in enumerate(names)}
        timed = args.gradcheck_params

    loss_w = lambda _w: network.loss(x_batch, t_batch)  # noqa: E731 (the book's lambda)
    t0 = time.perf_counter()
    grad_numerical = {k: numerical_gradient(loss_w, network.params[k], picks[k]) for k in names}
    measured = time.perf_counter() - t0

    def norm_rel(n, b):
        return float(np.linalg.norm(n - b) / (np.linalg.norm(n) + np.linalg.norm(b)))

    max_rel, avg_abs, max_rel_by, norm_rel_by, all_n, all_b = 0.0, {}, {}, {}, [], []
    for k in names:
        idx = np.arange(network.params[k].size) if picks[k] is None else picks[k]
        n = grad_numerical[k].ravel()[idx]
        b = grad_backprop[k].ravel()[idx]
        all_n.append(n)
        all_b.append(b)
        big = np.maximum(np.abs(n), np.abs(b))
        keep = big > 1e-6
        max_rel_by[k] = float(np.max(np.abs(n - b)[keep] / big[keep])) if keep.any() else None
        max_rel = max(max_rel, max_rel_by[k] or 0.0)
        norm_rel_by[k] = norm_rel(n, b) if idx.size else None
        avg_abs[k] = float(np.mean(np.abs(n - b))) if idx.size else None
    return {
        'numpy': np.__version__,
        'blas': blas_name(),
        'seed': args.seed,
        'batchSize': args.batch_size,
        'delta': args.delta,
        'params': total,
        'paramsTimed': timed,
        'numericalSecondsMeasured': measured,
        'numericalSeconds': measured * total / timed,
        'extrapolated': timed < total,
        'backpropSeconds': backprop_seconds,
        'ratio': measured * total / timed / backprop_seconds,
        'tensors': list(names),
        'maxRelErr': max_rel,
        'maxRelErrOver': '|g| > 1e-6',
        'maxRelErrBy': max_rel_by,
        # ||num - bp|| / (||num|| + ||bp||) over every element checked.
        'normRelErr': norm_rel(np.concatenate(all_n), np.concatenate(all_b)),
        'normRelErrBy': norm_rel_by,
        'avgAbsDiff': avg_abs,
    }


def main():
    t0 = time.perf_counter()
    x_train, t_train, x_test, t_test = load_mnist(args.data)
    if args.train_size is not None:
        x_train, t_train = x_train[:args.train_size], t_train[:args.train_size]
    load_seconds = time.perf_counter() - t0
    out = gradcheck(x_train, t_train) if args.gradcheck else train(x_train, t_train, x_test, t_test)
    out['loadSeconds'] = load_seconds
    if args.json or args.gradcheck:
        print(json.dumps(out, indent=1))
    else:
        print(f"{out['seconds']:.1f} s ({out['msPerIter']:.3f} ms/iter, {out['secondsPerEval']:.3f} s/eval), "
              f"numpy {out['numpy']}, BLAS {out['blas']}")


if __name__ == '__main__':
    main()
