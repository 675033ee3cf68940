export { nodeSaslCrypto } from './node-sasl-crypto.js';
