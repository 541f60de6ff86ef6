// Which webhook URLs are refused, and why: every special-purpose address family, spelled every
// way new URL() accepts, and host names whose answers include one.
import { describe, expect, it } from 'vitest';
import { checkWebhookUrl, classifyAddress, parseWebhookUrl } from './webhook-url.js';

const production = { allowLoopback: false };
const local = { allowLoopback: true };

describe('classifyAddress', () => {
  it.each([
    ['127.0.0.1', 'loopback'],
    ['10.1.2.3', 'private'],
    ['172.31.255.255', 'private'],
    ['192.168.0.10', 'private'],
    ['100.64.0.1', 'CGNAT'],
    ['169.254.169.254', 'link-local'],
    ['0.0.0.0', 'unspecified'],
    ['224.0.0.1', 'multicast'],
    ['255.255.255.255', 'reserved'],
    ['::1', 'loopback'],
    ['::', 'unspecified'],
    ['fd00::1', 'unique local'],
    ['fc12:3456::9', 'unique local'],
    ['fe80::1%eth0', 'link-local'],
    ['::ffff:127.0.0.1', 'loopback'],
    ['::ffff:7f00:1', 'loopback'],
    ['::ffff:10.0.0.1', 'private'],
    ['64:ff9b::a9fe:a9fe', 'link-local'],
    ['2002:c0a8:0101::1', 'private'],
    ['2001:db8::1', 'documentation'],
  ])('%s is not public (%s)', (ip, why) => {
    const c = classifyAddress(ip);
    expect(c?.public).toBe(false);
    expect(c?.reason).toContain(why);
  });

  it.each(['8.8.8.8', '1.1.1.1', '172.32.0.1', '100.128.0.1', '2606:4700:4700::1111', '2a00:1450:4001:81b::200e', '::ffff:8.8.8.8'])('%s is public', (ip) => {
    expect(classifyAddress(ip)).toMatchObject({ public: true });
  });

  it('is null for what is not an address', () => {
    for (const s of ['example.com', '1.2.3', '256.1.1.1', '1::2::3', 'fffff::1', '']) expect(classifyAddress(s)).toBeNull();
  });
});

describe('parseWebhookUrl / checkWebhookUrl', () => {
  const refusedInProduction = [
    ['http://example.com/hook', /https/],
    ['ftp://example.com/hook', /https URL \(got ftp:\)/],
    ['not a url', /not an absolute URL/],
    ['https://localhost/hook', /loopback/],
    ['https://api.localhost/hook', /loopback/],
    ['https://127.0.0.1/hook', /loopback/],
    ['https://2130706433/hook', /loopback/], // decimal spelling of 127.0.0.1
    ['https://0x7f.1/hook', /loopback/],
    ['https://[::1]/hook', /loopback/],
    ['https://[::ffff:169.254.169.254]/latest/meta-data', /link-local/],
    ['https://10.0.0.8/hook', /private/],
    ['https://192.168.1.1:8443/hook', /private/],
    ['https://100.100.100.100/hook', /CGNAT/],
    ['https://[fd12::1]/hook', /unique local/],
    ['https://[fe80::1]/hook', /link-local/],
    ['https://user:pw@example.com/hook', /user name or password/],
  ] as const;
  it.each(refusedInProduction)('production refuses %s', async (url, why) => {
    await expect(checkWebhookUrl(url, production)).rejects.toMatchObject({ code: 'invalid_webhook_url', message: expect.stringMatching(why), hint: expect.any(String) });
  });

  it('production accepts public https URLs, with ports and queries', async () => {
    expect((await checkWebhookUrl('https://hooks.example.com:8443/p?x=1', production, async () => ['93.184.216.34'])).host).toBe('hooks.example.com:8443');
    expect(parseWebhookUrl('https://8.8.8.8/h', production).hostname).toBe('8.8.8.8');
  });

  it('local mode allows http to loopback only; private addresses stay refused', async () => {
    expect(parseWebhookUrl('http://127.0.0.1:9999/hook', local).port).toBe('9999');
    expect(parseWebhookUrl('http://localhost:9999/hook', local).hostname).toBe('localhost');
    expect(parseWebhookUrl('http://[::1]:9999/hook', local).hostname).toBe('[::1]');
    expect(() => parseWebhookUrl('http://10.0.0.1/hook', local)).toThrow(/private/);
    expect(() => parseWebhookUrl('http://example.com/hook', local)).toThrow(/https/);
    expect(() => parseWebhookUrl('ftp://127.0.0.1/hook', local)).toThrow(/http\(s\) URL \(got ftp:\)/);
  });

  it('refuses a host name if any of its addresses is refused, or if it does not resolve', async () => {
    const dns: Record<string, string[]> = { 'internal.example.com': ['10.0.0.5'], 'mixed.example.com': ['93.184.216.34', 'fd00::5'], 'ok.example.com': ['93.184.216.34', '2606:2800:220:1:248:1893:25c8:1946'] };
    const resolve = async (h: string) => {
      if (!dns[h]) throw Object.assign(new Error('not found'), { code: 'ENOTFOUND' });
      return dns[h];
    };
    await expect(checkWebhookUrl('https://internal.example.com/h', production, resolve)).rejects.toMatchObject({ message: expect.stringMatching(/resolves to 10\.0\.0\.5 is a private/) });
    await expect(checkWebhookUrl('https://mixed.example.com/h', production, resolve)).rejects.toMatchObject({ message: expect.stringMatching(/fd00::5/) });
    await expect(checkWebhookUrl('https://nowhere.example.com/h', production, resolve)).rejects.toMatchObject({ message: expect.stringMatching(/does not resolve \(ENOTFOUND\)/) });
    await expect(checkWebhookUrl('https://ok.example.com/h', production, resolve)).resolves.toBeInstanceOf(URL);
  });
});
