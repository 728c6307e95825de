// The browser playground's server (Node only; the page itself is bundled from web/).
export { startPlayground, defaultWebRoot, CONTENT_SECURITY_POLICY, type Playground, type PlaygroundOptions } from './server.js';
