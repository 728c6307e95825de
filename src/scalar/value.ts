// The notes' scalar-level backprop, micrograd-sized: each op makes a node and a closure that adds
// its local derivative times the output's gradient into its inputs. backward() is a topological
// sort and one reverse loop; fan-out sums gradients (the multivariate chain rule).
// It is also the oracle the tensor engine is tested against.

export type ValueLike = Value | number;

const wrap = (v: ValueLike): Value => (v instanceof Value ? v : new Value(v));

export class Value {
  data: number;
  grad = 0;
  readonly children: readonly Value[];
  readonly op: string;
  label?: string;
  private backwardStep: () => void = () => {};

  constructor(data: number, children: readonly Value[] = [], op = '', label?: string) {
    this.data = data;
    this.children = children;
    this.op = op;
    this.label = label;
  }

  add(other: ValueLike): Value {
    const o = wrap(other);
    const out = new Value(this.data + o.data, [this, o], '+');
    out.backwardStep = () => { this.grad += out.grad; o.grad += out.grad; };
    return out;
  }

  mul(other: ValueLike): Value {
    const o = wrap(other);
    const out = new Value(this.data * o.data, [this, o], '*');
    out.backwardStep = () => { this.grad += o.data * out.grad; o.grad += this.data * out.grad; };
    return out;
  }

  /** this^k for a constant exponent k. */
  pow(k: number): Value {
    const out = new Value(this.data ** k, [this], `^${k}`);
    out.backwardStep = () => { this.grad += k * this.data ** (k - 1) * out.grad; };
    return out;
  }

  exp(): Value {
    const out = new Value(Math.exp(this.data), [this], 'exp');
    out.backwardStep = () => { this.grad += out.data * out.grad; };
    return out;
  }

  log(): Value {
    const out = new Value(Math.log(this.data), [this], 'log');
    out.backwardStep = () => { this.grad += out.grad / this.data; };
    return out;
  }

  sin(): Value {
    const out = new Value(Math.sin(this.data), [this], 'sin');
    out.backwardStep = () => { this.grad += Math.cos(this.data) * out.grad; };
    return out;
  }

  cos(): Value {
    const out = new Value(Math.cos(this.data), [this], 'cos');
    out.backwardStep = () => { this.grad -= Math.sin(this.data) * out.grad; };
    return out;
  }

  tanh(): Value {
    const out = new Value(Math.tanh(this.data), [this], 'tanh');
    out.backwardStep = () => { this.grad += (1 - out.data * out.data) * out.grad; };
    return out;
  }

  /** Logistic sigmoid; σ' = σ(1 − σ). */
  sigmoid(): Value {
    const x = this.data;
    const s = x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x));
    const out = new Value(s, [this], 'σ');
    out.backwardStep = () => { this.grad += s * (1 - s) * out.grad; };
    return out;
  }

  relu(): Value {
    const out = new Value(this.data > 0 ? this.data : 0, [this], 'ReLU');
    out.backwardStep = () => { this.grad += (this.data > 0 ? 1 : 0) * out.grad; };
    return out;
  }

  /** Soft ReLU log(1 + eˣ); its derivative is σ(x). */
  softplus(): Value {
    const x = this.data;
    const out = new Value(Math.max(x, 0) + Math.log1p(Math.exp(-Math.abs(x))), [this], 'softplus');
    out.backwardStep = () => { this.grad += (x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x))) * out.grad; };
    return out;
  }

  /** Hard threshold: 1 if x > 0 else 0; derivative 0. */
  heaviside(): Value {
    return new Value(this.data > 0 ? 1 : 0, [this], 'heaviside');
  }

  // Composite ops, written with the primitives so that no new derivative rules are needed.
  neg(): Value { return this.mul(-1); }
  sub(other: ValueLike): Value { return this.add(wrap(other).neg()); }
  div(other: ValueLike): Value { return this.mul(wrap(other).pow(-1)); }

  /** Fill .grad of every node with ∂this/∂node. */
  backward(): void {
    const topo: Value[] = [];
    const seen = new Set<Value>();
    // Iterative post-order DFS: children before parents, without recursion limits on long chains.
    const stack: [Value, number][] = [[this, 0]];
    seen.add(this);
    while (stack.length) {
      const top = stack[stack.length - 1];
      const [v, i] = top;
      if (i < v.children.length) {
        top[1]++;
        const c = v.children[i];
        if (!seen.has(c)) { seen.add(c); stack.push([c, 0]); }
      } else {
        stack.pop();
        topo.push(v);
      }
    }
    for (const v of topo) v.grad = 0;
    this.grad = 1;
    for (let i = topo.length - 1; i >= 0; i--) topo[i].backwardStep();
  }

  toString(): string {
    return `Value(data=${this.data}, grad=${this.grad})`;
  }
}

/** A leaf with an optional label (shown by graph exports). */
export function value(data: number, label?: string): Value {
  return new Value(data, [], '', label);
}
