export { Router, routedRuntime, RELAY_GAIN, DIRECT_EVERY } from './router.js';
export { RoutingPort, type RelayRequest, type RelayDone } from './messages.js';
