/** The TNX/1 sealed envelope: seal, open, receipts. */
export { seal, type SealContext, type Sealed } from './seal.js';
export { open, type OpenContext, type Opened } from './open.js';
export { signReceipt, verifyReceipt, type ReceiptInput, type ReceiptExpectation } from './receipt.js';
export { digestOf } from './headers.js';
export { JWS_ALGORITHMS, JWE_KEY_ALGORITHMS, JWE_CONTENT_ALGORITHMS } from './algorithms.js';
