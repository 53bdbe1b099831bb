import { execFile } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { parse } from 'yaml';
import { startTestApp, TestApp } from './support/test-app';

const ROOT = resolve(__dirname, '../../..');
const PROMETHEUS_DIR = join(ROOT, 'deploy/prometheus');
const DASHBOARD = join(ROOT, 'deploy/grafana/smart-ai-hub.json');
const run = promisify(execFile);

/** Prometheus makes `up` itself for every target; it is never on /metrics. */
const MADE_BY_PROMETHEUS = new Set(['up']);
const PROMQL_WORDS = new Set(['by', 'without', 'on', 'ignoring', 'group_left', 'group_right', 'bool', 'offset', 'and', 'or', 'unless', 'le']);

/** The metric names a PromQL expression reads (functions, clauses, label matchers and durations left out). */
function metricNames(expr: string): string[] {
  const bare = expr
    .replace(/"(?:[^"\\]|\\.)*"/g, '""')
    .replace(/\{[^}]*\}/g, '')
    .replace(/\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g, '')
    .replace(/\[[^\]]*\]/g, '');
  return [...bare.matchAll(/\b([a-zA-Z_:][\w:]*)\b(?!\s*\()/g)]
    .map((m) => m[1] as string)
    .filter((name) => !PROMQL_WORDS.has(name) && !/^\d/.test(name));
}

/** Every name a scrape exposes, histograms' `_bucket`, `_sum` and `_count` included, samples or not. */
function exposedNames(text: string): Set<string> {
  const names = new Set<string>();
  for (const [, name, type] of text.matchAll(/^# TYPE (\S+) (\S+)$/gm)) {
    names.add(name as string);
    if (type === 'histogram') for (const suffix of ['_bucket', '_sum', '_count']) names.add(`${name}${suffix}`);
  }
  return names;
}

function promtool(...args: string[]) {
  return run('promtool', args).catch((error: NodeJS.ErrnoException & { stdout?: string; stderr?: string }) => {
    if (error.code === 'ENOENT') throw new Error("promtool is missing: install Debian's prometheus package (apt-get install prometheus), as .ci/run does");
    throw new Error(`promtool ${args.join(' ')} failed:\n${error.stdout ?? ''}${error.stderr ?? ''}`);
  });
}

interface Rule {
  alert: string;
  expr: string;
  for?: string;
  labels: { severity: 'critical' | 'warning' };
}

describe('shipped operations files (deploy/)', () => {
  let api: TestApp;
  let exposed: Set<string>;

  beforeAll(async () => {
    api = await startTestApp();
    exposed = exposedNames(await (await fetch(`${api.url}/metrics`)).text());
  });
  afterAll(() => api.close());

  it('alert rules pass `promtool check rules`', async () => {
    const { stdout } = await promtool('check', 'rules', join(PROMETHEUS_DIR, 'alerts.yml'));
    expect(stdout).toMatch(/SUCCESS: \d+ rules found/);
  });

  it('the scrape config, with its rule file and token file, passes `promtool check config`', async () => {
    // The token file is the deployment's (docker-compose mounts it); a stand-in lets promtool check the rest.
    const dir = mkdtempSync(join(tmpdir(), 'sah-prometheus-'));
    try {
      for (const file of ['prometheus.yml', 'alerts.yml']) copyFileSync(join(PROMETHEUS_DIR, file), join(dir, file));
      writeFileSync(join(dir, 'metrics_token'), 'x'.repeat(32));
      const { stdout } = await promtool('check', 'config', join(dir, 'prometheus.yml'));
      expect(stdout).toMatch(/SUCCESS: 1 rule files found/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('alert rules implement the spec thresholds over series the API exposes', () => {
    const groups = (parse(readFileSync(join(PROMETHEUS_DIR, 'alerts.yml'), 'utf8')) as { groups: Array<{ rules: Rule[] }> }).groups;
    const rules = new Map(groups.flatMap((group) => group.rules).map((rule) => [rule.alert, rule]));
    const expect_ = (alert: string, pattern: RegExp, severity: string, duration?: string) => {
      const rule = rules.get(alert);
      expect(rule?.expr).toMatch(pattern);
      expect(rule?.labels.severity).toBe(severity);
      if (duration) expect(rule?.for).toBe(duration);
    };
    expect_('SmartAiHubApiDown', /^up\{job="smart-ai-hub-api"\} == 0$/, 'critical', '2m');
    expect_('SmartAiHubErrorRateCritical', /status_code=~"5\.\."[\s\S]*> 0\.05\s*$/, 'critical');
    expect_('SmartAiHubErrorRateWarning', /status_code=~"5\.\."[\s\S]*> 0\.01\s*$/, 'warning');
    expect_('SmartAiHubLatencyP95Critical', /histogram_quantile\(0\.95,[\s\S]*> 1\s*$/, 'critical');
    expect_('SmartAiHubLatencyP95Warning', /histogram_quantile\(0\.95,[\s\S]*> 0\.5\s*$/, 'warning');
    expect_('SmartAiHubDatabaseConnectionsHigh', /sah_db_pool_max[\s\S]*> 0\.8\s*$/, 'warning');
    expect_('SmartAiHubQueueBacklogOld', /sah_queue_oldest_waiting_age_seconds[\s\S]*> 300$/, 'warning');
    expect_('SmartAiHubProviderCircuitOpen', /sah_ai_provider_circuit_open[\s\S]*== 1$/, 'warning');
    expect_('SmartAiHubWebhookEndpointsDisabled', /sah_webhook_endpoints\{[^}]*state="disabled"/, 'warning');

    const missing = [...rules.values()].flatMap((rule) => metricNames(rule.expr)).filter((name) => !MADE_BY_PROMETHEUS.has(name) && !exposed.has(name));
    expect(missing).toEqual([]);
  });

  it('the Grafana dashboard parses and every panel reads series the API exposes', () => {
    const dashboard = JSON.parse(readFileSync(DASHBOARD, 'utf8')) as { uid: string; panels: Array<{ type: string; title: string; targets?: Array<{ expr: string }> }> };
    expect(dashboard.uid).toBe('smart-ai-hub');
    const panels = dashboard.panels.filter((panel) => panel.type !== 'row');
    expect(panels.length).toBeGreaterThanOrEqual(20);
    for (const panel of panels) {
      const names = (panel.targets ?? []).flatMap((target) => metricNames(target.expr));
      expect({ panel: panel.title, names: names.length > 0 }).toEqual({ panel: panel.title, names: true });
      expect({ panel: panel.title, missing: names.filter((name) => !MADE_BY_PROMETHEUS.has(name) && !exposed.has(name)) }).toEqual({
        panel: panel.title,
        missing: [],
      });
    }
  });

  it('reads metric names out of PromQL, and a made-up one would be caught', () => {
    expect(metricNames('sum by (le, route) (rate(http_request_duration_seconds_bucket{route!~"/v1/.*"}[5m])) / ignoring(state) sah_db_pool_max > 0.5')).toEqual([
      'http_request_duration_seconds_bucket',
      'sah_db_pool_max',
    ]);
    expect(exposed.has('sah_no_such_series')).toBe(false);
    expect(exposed.has('sah_ai_time_to_first_token_seconds_bucket')).toBe(true);
  });

  it('docker-compose.yml mounts the shipped files into Prometheus and Grafana', () => {
    const compose = parse(readFileSync(join(ROOT, 'docker-compose.yml'), 'utf8'), { merge: true }) as {
      services: Record<string, { volumes?: string[]; profiles?: string[]; environment?: Record<string, string> }>;
      secrets: Record<string, unknown>;
    };
    for (const service of ['prometheus', 'grafana']) {
      expect(compose.services[service]?.profiles).toEqual(['monitoring']);
      for (const volume of compose.services[service]?.volumes ?? []) {
        const source = volume.split(':')[0] as string;
        if (source.startsWith('./')) expect({ volume, exists: existsSync(join(ROOT, source)) }).toEqual({ volume, exists: true });
      }
    }
    expect(compose.secrets.metrics_token).toEqual({ environment: 'METRICS_TOKEN' });
    expect(compose.services.api?.environment).toMatchObject({ METRICS_TOKEN: expect.any(String), OTEL_EXPORTER_OTLP_ENDPOINT: expect.any(String) });
  });
});
