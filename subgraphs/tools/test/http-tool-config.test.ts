// Parsing what configures HTTP tools: the egress allow-list (and what it lets through) and a
// tool's HTTP configuration, with the errors an operator or a registering client sees.
import { checkEgress, parseEgressAllowList, parseHttpToolConfig } from '../src/http/index.js';

describe('parseEgressAllowList and checkEgress', () => {
  const allowed = (spec: string, url: string) =>
    checkEgress(parseEgressAllowList(spec), new URL(url));

  it('matches hosts exactly or by wildcard, with optional ports', () => {
    expect(allowed('api.example.com', 'https://api.example.com/x')).toBeUndefined();
    expect(allowed('api.example.com', 'https://API.Example.com./x')).toBeUndefined();
    expect(allowed('api.example.com', 'https://other.example.com/')).toMatch(/not on the egress/);
    expect(allowed('*.example.org', 'https://a.b.example.org/')).toBeUndefined();
    expect(allowed('*.example.org', 'https://example.org/')).toMatch(/not on the egress/);
    expect(allowed('*.example.org', 'https://badexample.org/')).toMatch(/not on the egress/);
    expect(allowed('api.example.com:8443', 'https://api.example.com:8443/')).toBeUndefined();
    expect(allowed('api.example.com:8443', 'https://api.example.com/')).toMatch(/:443 is not/);
    expect(allowed('api.example.com', 'ftp://api.example.com/')).toMatch(/scheme ftp:/);
  });

  it('matches IP literals only against IP and CIDR entries, however they are spelled', () => {
    expect(allowed('10.0.0.0/8', 'http://10.2.3.4/')).toBeUndefined();
    expect(allowed('10.0.0.0/8', 'http://0x0a.1/')).toBeUndefined(); // the URL parser's 10.0.0.1
    expect(allowed('10.0.0.0/8', 'http://11.0.0.1/')).toMatch(/not on the egress/);
    expect(allowed('127.0.0.1:8080', 'http://127.0.0.1:8080/')).toBeUndefined();
    expect(allowed('127.0.0.1:8080', 'http://127.0.0.1:8081/')).toMatch(/not on the egress/);
    expect(allowed('[::1]', 'http://[::1]:3000/')).toBeUndefined();
    expect(allowed('127.0.0.1', 'http://[::ffff:127.0.0.1]/')).toBeUndefined();
    expect(allowed('example.com', 'http://93.184.216.34/')).toMatch(/not on the egress/);
    expect(allowed('169.254.169.254', 'http://169.254.169.254/')).toBeUndefined(); // named exactly
    expect(allowed('169.254.0.0/16', 'http://[::ffff:169.254.169.254]/')).toMatch(/not on/);
  });

  it.each([
    ['*', /every destination/],
    ['http://api.example.com', /not a URL/],
    ['api.example.com:0', /port "0"/],
    ['api.example.com:99999', /port "99999"/],
    ['api.example.com:http', /port "http"/],
    ['10.0.0.0/33', /prefix length "\/33"/],
    ['10.0.0/8', /four decimal numbers/],
    ['1.2.3.256', /not an IP address/],
    ['10.0.0', /four decimal numbers/],
    ['api.*.example.com', /wildcard/],
    ['*.com', /at least two labels/],
    ['bad_host!.com', /not a hostname/],
    ['[fe80::1%eth0]', /not an IP address/],
    ['[::1]:x', /port "x"/],
    ['a'.repeat(64) + '.com', /not a hostname/],
  ])('refuses the junk entry %s', (spec, message) => {
    const error = (() => {
      try {
        parseEgressAllowList(`good.example.com, ${spec}`);
      } catch (caught) {
        return caught as Error & { extensions?: Record<string, unknown> };
      }
      return undefined;
    })();
    expect(error?.message).toMatch(message);
    expect(error?.message).toContain(`TOOLS_EGRESS_ALLOW entry "${spec}"`);
    expect(error?.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'TOOLS_EGRESS_ALLOW',
    });
  });

  it('reads commas and white space as separators and an empty list as nothing allowed', () => {
    expect(
      parseEgressAllowList(' a.example.com ,\n b.example.com  10.0.0.0/8 ').entries,
    ).toHaveLength(3);
    expect(parseEgressAllowList('').entries).toHaveLength(0);
    expect(parseEgressAllowList('bücher.example').entries[0]).toMatchObject({
      name: 'xn--bcher-kva.example',
    });
  });
});

describe('parseHttpToolConfig', () => {
  it('keeps a valid config, with POST by default', () => {
    expect(
      parseHttpToolConfig({
        url: 'https://API.example.com/run',
        headers: { Authorization: 'Bearer t' },
      }),
    ).toEqual({
      url: 'https://api.example.com/run',
      method: 'POST',
      headers: { Authorization: 'Bearer t' },
    });
  });

  it.each([
    [{ url: 'ftp://example.com/' }, 'config.url', /http or https/],
    [{ url: 'not a url' }, 'config.url', /absolute URL/],
    [{ url: 'https://user:pw@example.com/' }, 'config.url', /credentials/],
    [{ url: 'https://example.com/#x' }, 'config.url', /fragment/],
    [{ url: 'https://example.com/', method: 'DELETE' }, 'config.method', /POST, PUT or GET/],
    [
      { url: 'https://example.com/', headers: { 'Bad Name': 'v' } },
      'config.headers.Bad Name',
      /header name/,
    ],
    [
      { url: 'https://example.com/', headers: { 'X-A': 'v\r\nX-B: w' } },
      'config.headers.X-A',
      /line breaks/,
    ],
    [{ url: 'https://example.com/', headers: { Host: 'evil' } }, 'config.headers', /host/],
    [
      { url: 'https://example.com/', headers: { 'x-a': '1', 'X-A': '2' } },
      'config.headers',
      /twice/,
    ],
    [{ url: 'https://example.com/', extra: 1 }, 'config', /only url, method and headers/],
    ['https://example.com/', 'config', /must be an object/],
  ])('refuses %j at %s', (value, field, message) => {
    let error: (Error & { extensions?: Record<string, unknown> }) | undefined;
    try {
      parseHttpToolConfig(value);
    } catch (caught) {
      error = caught as typeof error;
    }
    expect(error?.message).toMatch(message);
    expect(error?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field });
  });
});
