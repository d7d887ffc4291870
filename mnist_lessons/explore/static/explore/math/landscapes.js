/*
 * Two-dimensional test functions for optimizers, each beside its gradient
 * (mnist_lessons/scratch/landscapes.py, operation for operation).
 *
 * Each function takes one point theta = [x, y] (any array of length 2) and returns its value;
 * each *_grad returns the gradient as a Float64Array(2).
 *
 * - rosenbrock: a curved, narrow valley with its minimum at (1, 1);
 * - valley: an elongated quadratic bowl, 40 times steeper across than along;
 * - saddle: a saddle point at (0, 0) between two minima at (0, -1) and (0, 1).
 *
 * descend() runs an optimizer of optimizers.js on one of them; grid() tabulates one for a map.
 */

// A gradient (gx, gy) as a Float64Array(2) (faster than Float64Array.of).
function pair(gx, gy) {
  const g = new Float64Array(2);
  g[0] = gx;
  g[1] = gy;
  return g;
}

// (a - x)^2 + b (y - x^2)^2, minimum 0 at (a, a^2).
export function rosenbrock(theta, a = 1.0, b = 100.0) {
  const x = theta[0];
  const y = theta[1];
  const u = a - x;
  const w = y - x * x;
  return u * u + b * (w * w);
}

// (-2 (a - x) - 4 b x (y - x^2), 2 b (y - x^2)).
export function rosenbrock_grad(theta, a = 1.0, b = 100.0) {
  const x = theta[0];
  const y = theta[1];
  return pair(-2 * (a - x) - 4 * b * x * (y - x * x), 2 * b * (y - x * x));
}

// 0.05 (x^2 + k y^2): curvature 0.1 along x, 0.1 k across; minimum 0 at 0.
export function valley(theta, k = 40.0) {
  const x = theta[0];
  const y = theta[1];
  return 0.05 * (x * x + k * (y * y));
}

// (0.1 x, 0.1 k y).
export function valley_grad(theta, k = 40.0) {
  return pair(0.1 * theta[0], 0.1 * k * theta[1]);
}

// x^2 + (y^2 - 1)^2 / 4: a saddle point at (0, 0) (value 1/4) between minima 0 at (0, +-1).
export function saddle(theta) {
  const x = theta[0];
  const y = theta[1];
  const w = y * y - 1;
  return x * x + 0.25 * (w * w);
}

// (2 x, y (y^2 - 1)).
export function saddle_grad(theta) {
  const y = theta[1];
  return pair(2 * theta[0], y * (y * y - 1));
}

// name -> [f, grad f, the minima (a list of points)]
export const LANDSCAPES = {
  rosenbrock: [rosenbrock, rosenbrock_grad, [[1.0, 1.0]]],
  valley: [valley, valley_grad, [[0.0, 0.0]]],
  saddle: [saddle, saddle_grad, [[0.0, -1.0], [0.0, 1.0]]],
};

/*
 * Run optimizer on a function with gradient grad from theta0; return the path theta_0, ...,
 * theta_steps as a Float64Array of (steps + 1) * 2 numbers (x, y per row) with .shape.
 * Each step computes g_t = grad(theta_{t-1}) and calls optimizer.step([theta], [g]).
 */
export function descend(grad, theta0, optimizer, steps) {
  if (theta0.length !== 2) {
    throw new RangeError(`theta0 must be one point (x, y), got ${theta0.length} numbers.`);
  }
  if (!Number.isInteger(steps) || steps < 1) {
    throw new RangeError(`steps must be a positive integer, got ${steps}.`);
  }
  const theta = Float64Array.from(theta0); // a copy the optimizer updates
  const path = new Float64Array((steps + 1) * 2);
  path.shape = [steps + 1, 2];
  path[0] = theta[0];
  path[1] = theta[1];
  for (let t = 1; t <= steps; t++) {
    optimizer.step([theta], [grad(theta)]);
    path[2 * t] = theta[0];
    path[2 * t + 1] = theta[1];
  }
  return path;
}

/*
 * f on an ny x nx grid of cell centres over xlim x ylim, row 0 at the top (largest y), as an
 * image is drawn: a Float64Array of ny * nx values with .shape = [ny, nx].
 */
export function grid(f, xlim, ylim, nx, ny) {
  const values = new Float64Array(nx * ny);
  values.shape = [ny, nx];
  const point = new Float64Array(2);
  for (let r = 0; r < ny; r++) {
    point[1] = ylim[1] - ((r + 0.5) * (ylim[1] - ylim[0])) / ny;
    for (let c = 0; c < nx; c++) {
      point[0] = xlim[0] + ((c + 0.5) * (xlim[1] - xlim[0])) / nx;
      values[r * nx + c] = f(point);
    }
  }
  return values;
}
