import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { credentialHash, mintCredential, RemoteDevices } from './devices.ts';
import { mintToken, PairingTokens, tokenHash } from './pairing.ts';

describe('PairingTokens', () => {
  it('accepts a token until it is spent, within its time', () => {
    const tokens = new PairingTokens();
    const { token, data } = mintToken(180_000);
    assert.equal(data.hash, tokenHash(token));
    assert.notEqual(data.hash, token, 'the log keeps the hash, never the token');
    tokens.issued(data, 1000);
    assert.equal(tokens.usable(tokenHash(token), 2000), true);
    tokens.spent(tokenHash(token));
    assert.equal(tokens.usable(tokenHash(token), 2001), false);
  });

  it('refuses a token past its time, and one it never issued', () => {
    const tokens = new PairingTokens();
    const { token, data } = mintToken(180_000);
    tokens.issued(data, 1000);
    assert.equal(tokens.usable(tokenHash(token), 181_000), false);
    assert.equal(tokens.usable(tokenHash('made-up'), 1000), false);
  });
});

describe('RemoteDevices', () => {
  it('knows a credential by its device and secret, and forgets it when revoked', () => {
    const devices = new RemoteDevices();
    const { device, secret, credential } = mintCredential();
    devices.paired({ device, name: 'Phone', hash: credentialHash(secret) }, 5);
    assert.equal(devices.match(credential), device);
    assert.equal(devices.match(`${device}.wrong`), null);
    assert.equal(devices.match(secret), null);
    assert.deepEqual(devices.list(), [{ id: device, name: 'Phone', pairedAt: 5 }]);
    devices.revoked({ device });
    assert.equal(devices.match(credential), null);
  });
});
