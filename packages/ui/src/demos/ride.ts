import { createLoop, type Demo, type DemoTiming } from './loop.ts';
import type { PublishFn } from './publisher.ts';
import { type MapPoint, RIDE_TOPIC, type RideState, type RideUpdate } from './topics.ts';

export interface RideDemoOptions extends DemoTiming {
  publish: PublishFn;
}

/** The ride demo: a trip that replays forever, and `requestRide` to start a new one now. */
export interface RideDemo extends Demo {
  /** Abandons the current trip and starts a new one at `requested`. */
  requestRide(): void;
}

/** How many steps each state lasts; movement happens in `arriving` and `in_trip`. */
const STEPS: Record<RideState, number> = {
  requested: 3,
  matched: 3,
  arriving: 12,
  in_trip: 16,
  completed: 6,
};
const ORDER: readonly RideState[] = ['requested', 'matched', 'arriving', 'in_trip', 'completed'];
const DRIVERS = [
  { name: 'Sam', car: 'Toyota Prius', plate: 'KX-4217' },
  { name: 'Noor', car: 'Kia Niro', plate: 'LB-0935' },
  { name: 'Ines', car: 'Tesla Model 3', plate: 'ZE-7781' },
];
const PLACES: readonly MapPoint[] = [
  { x: 15, y: 20 },
  { x: 80, y: 25 },
  { x: 70, y: 80 },
  { x: 20, y: 75 },
  { x: 50, y: 50 },
];

/**
 * One trip, published step by step on RIDE_TOPIC: requested, matched, the
 * driver arriving (the car moves towards the pickup), in trip (towards the
 * dropoff), completed; then the next trip. Every update carries the whole
 * trip so a page that opens mid-trip is up to date with the next step.
 */
export function createRideDemo(options: RideDemoOptions): RideDemo {
  const intervalMs = options.intervalMs ?? 700;
  let trip = 0;
  let phase = 0;
  let stepInPhase = 0;
  let step = 0;

  const restart = (): void => {
    trip += 1;
    phase = 0;
    stepInPhase = 0;
    step = 0;
  };
  restart();

  const publishStep = async (): Promise<void> => {
    const update = rideAt(trip, ORDER[phase]!, stepInPhase, step, intervalMs);
    await options.publish({ topics: [RIDE_TOPIC], data: JSON.stringify(update), type: 'ride' });
    step += 1;
    stepInPhase += 1;
    if (stepInPhase < STEPS[ORDER[phase]!]) return;
    stepInPhase = 0;
    phase += 1;
    if (phase === ORDER.length) restart();
  };
  const loop = createLoop('ride', intervalMs, publishStep, options.onError);
  return Object.assign(loop, { requestRide: restart });
}

/** The trip as it stands at one step; pure, so both pages and tests can reason about it. */
export function rideAt(
  trip: number,
  state: RideState,
  stepInPhase: number,
  step: number,
  intervalMs: number,
): RideUpdate {
  const pickup = PLACES[trip % PLACES.length]!;
  const dropoff = PLACES[(trip + 2) % PLACES.length]!;
  const start = PLACES[(trip + 4) % PLACES.length]!;
  const driver = DRIVERS[trip % DRIVERS.length];
  const base: RideUpdate = {
    tripId: `trip-${trip}`,
    state,
    rider: 'Alex',
    pickup,
    dropoff,
    step,
    at: Date.now(),
  };
  const remaining = (steps: number): number => Math.round(((steps - stepInPhase) * intervalMs) / 1000);
  switch (state) {
    case 'requested':
      return base;
    case 'matched':
      return { ...base, driver, car: start };
    case 'arriving':
      return {
        ...base,
        driver,
        car: lerp(start, pickup, (stepInPhase + 1) / STEPS.arriving),
        etaSeconds: remaining(STEPS.arriving),
      };
    case 'in_trip':
      return {
        ...base,
        driver,
        car: lerp(pickup, dropoff, (stepInPhase + 1) / STEPS.in_trip),
        etaSeconds: remaining(STEPS.in_trip),
      };
    case 'completed':
      return { ...base, driver, car: dropoff };
  }
}

function lerp(from: MapPoint, to: MapPoint, t: number): MapPoint {
  const round = (v: number): number => Math.round(v * 10) / 10;
  return { x: round(from.x + (to.x - from.x) * t), y: round(from.y + (to.y - from.y) * t) };
}
