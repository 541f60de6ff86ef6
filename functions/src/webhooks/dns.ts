/**
 * Name resolution for webhook URL checks, on Node (the API's Lambda entry and local mode pass it
 * to the API; the deliverer connects through guardedLookup). getaddrinfo, as the connection
 * itself resolves, so /etc/hosts and the system resolver give the same answer to both.
 */
import { lookup, type LookupAddress } from 'node:dns';
import { lookup as lookupAll } from 'node:dns/promises';
import type { LookupFunction } from 'node:net';
import { addressRefusal, invalidWebhookUrl, type ResolveHost, type WebhookUrlPolicy } from '../core/webhook-url.js';

export const resolveHost: ResolveHost = async (hostname) => (await lookupAll(hostname, { all: true, verbatim: true })).map((a) => a.address);

/**
 * A `lookup` for http(s).request that refuses to connect when any address of the name is
 * refused by the policy: the check and the connection use the same DNS answer, so a name that
 * re-resolves to a private address after the API's check (DNS rebinding) is still refused.
 */
export function guardedLookup(policy: WebhookUrlPolicy): LookupFunction {
  return (hostname, options, callback) => {
    lookup(hostname, { all: true, verbatim: true, family: options.family }, (err, addresses: LookupAddress[]) => {
      if (err) return callback(err, '', 0);
      for (const a of addresses) {
        const why = addressRefusal(a.address, policy);
        if (why) return callback(Object.assign(invalidWebhookUrl(`webhook host ${hostname} resolves to ${why}; not delivered.`), { code: 'EWEBHOOKADDRESS' }), '', 0);
      }
      if (addresses.length === 0) return callback(Object.assign(new Error(`${hostname} has no address`), { code: 'ENOTFOUND' }), '', 0);
      if (options.all) return (callback as unknown as (e: null, a: LookupAddress[]) => void)(null, addresses);
      callback(null, addresses[0].address, addresses[0].family);
    });
  };
}
