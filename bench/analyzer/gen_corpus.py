#!/usr/bin/env python3
"""Writes a deterministic corpus of realistic C modules that use tether.h, for bench/analyzer.

Each file looks like one module of a service: libc includes, a few structs,
ordinary string/struct/loop code, and two to four concurrency pieces (worker
pools, pipelines with done channels, handlers with timeouts, tickers,
contexts, wait groups, mutexes). About one file in seven carries one leak of
one of the four rules (spawn-no-cancel, unbuffered-send-no-fallback,
ticker-not-stopped, wg-unbalanced), written the way the fixtures write them;
the rest are clean. The same seed and count always give the same bytes.

    gen_corpus.py OUTDIR N [--seed S]

Writes OUTDIR/m0000_<topic>.c ... and OUTDIR/expected.tsv (file, rule per
planted leak) so a run can be checked for the findings it should produce.
"""

import argparse
import os
import random
import sys

TOPICS = ["auth", "cache", "queue", "sched", "net", "store", "index", "log",
          "http", "dns", "mail", "metrics", "sync", "blob", "feed", "search",
          "billing", "session", "upload", "notify", "geo", "report", "audit",
          "router", "proxy", "shard", "ledger", "crawl", "thumb", "stream"]
NOUNS = ["item", "entry", "record", "job", "req", "msg", "row", "event",
         "chunk", "page", "token", "user", "order", "frame", "key"]
LEAK_RATE = 1 / 7
RULES = ["spawn-no-cancel", "unbuffered-send-no-fallback",
         "ticker-not-stopped", "wg-unbalanced"]


class Module:
    """Builds one file: a prefix for its names and the pieces written so far."""

    def __init__(self, rng, index):
        self.rng = rng
        self.topic = rng.choice(TOPICS)
        self.p = "%s%d" % (self.topic, index)  # prefix, unique in the corpus
        self.file = "m%04d_%s.c" % (index, self.topic)
        self.noun = rng.choice(NOUNS)
        self.parts = []
        self.exports = []  # public entry points (called by nothing: a module)
        self.leak = None   # (rule, line) once a leak is planted
        self.has = set()   # optional plain pieces written

    def emit(self, text):
        sep = "\n" if self.parts else ""  # a blank line between pieces
        self.parts.append(sep + text.strip("\n") + "\n")

    def text(self):
        return "".join(self.parts)

    def line_of(self, marker):
        """Line number (1-based) of the first line holding marker."""
        for n, line in enumerate(self.text().splitlines(), 1):
            if marker in line:
                return n
        raise KeyError(marker)


# ---- ordinary C: structs, strings, loops -----------------------------------

def c_header(m):
    m.emit("/* %s — the %s module: %s handling, workers and timers. */"
           % (m.file, m.topic, m.noun))
    m.emit("#define _POSIX_C_SOURCE 200809L")
    incs = ["<ctype.h>", "<errno.h>", "<pthread.h>", "<stdbool.h>",
            "<stdint.h>", "<stdio.h>", "<stdlib.h>", "<string.h>"]
    if m.rng.random() < 0.5:
        incs.append("<time.h>")
    if m.rng.random() < 0.3:
        incs.append("<limits.h>")
    m.emit("".join("#include %s\n" % i for i in sorted(incs))
           + "#include <tether.h>")


def c_types(m):
    p, n = m.p, m.noun
    nfields = m.rng.randint(2, 5)
    extra = "".join("    int64_t f%d;\n" % i for i in range(nfields))
    m.emit("""
#define %(P)s_NAME_MAX %(nm)d
#define %(P)s_SLOTS %(slots)d

struct %(p)s_%(n)s {
    char name[%(P)s_NAME_MAX];
    uint32_t id;
    int priority;
    bool active;
%(extra)s};

struct %(p)s_table {
    struct %(p)s_%(n)s *items;
    size_t len;
    size_t cap;
    pthread_mutex_t lock;
};

static uint64_t %(p)s_counter;
""" % {"p": p, "P": p.upper(), "n": n, "nm": m.rng.choice([32, 48, 64]),
       "slots": m.rng.choice([8, 16, 32, 64]), "extra": extra})


def c_strings(m):
    p = m.p
    m.emit("""
static char *%(p)s_trim(char *s)
{
    char *end;
    while (isspace((unsigned char)*s))
        s++;
    if (*s == '\\0')
        return s;
    end = s + strlen(s) - 1;
    while (end > s && isspace((unsigned char)*end))
        end--;
    end[1] = '\\0';
    return s;
}

static void %(p)s_lower(char *s)
{
    for (; *s; s++)
        *s = (char)tolower((unsigned char)*s);
}

static size_t %(p)s_split(char *line, char sep, char **fields, size_t max)
{
    size_t n = 0;
    char *start = line;
    for (char *c = line; n < max; c++) {
        if (*c == sep || *c == '\\0') {
            bool last = *c == '\\0';
            *c = '\\0';
            fields[n++] = %(p)s_trim(start);
            if (last)
                break;
            start = c + 1;
        }
    }
    return n;
}

static int %(p)s_parse_int(const char *s, long lo, long hi, long *out)
{
    char *end = NULL;
    long v;
    errno = 0;
    v = strtol(s, &end, 10);
    if (errno != 0 || end == s || *end != '\\0')
        return -1;
    if (v < lo || v > hi)
        return -1;
    *out = v;
    return 0;
}
""" % {"p": p})


def c_hash(m):
    p = m.p
    basis, prime = m.rng.choice([("2166136261u", "16777619u"),
                                 ("5381u", "33u")])
    m.emit("""
static uint32_t %(p)s_hash(const char *s)
{
    uint32_t h = %(basis)s;
    while (*s) {
        h ^= (uint8_t)*s++;
        h *= %(prime)s;
    }
    return h;
}

static uint32_t %(p)s_bucket(const char *key, uint32_t nbuckets)
{
    return nbuckets ? %(p)s_hash(key) %% nbuckets : 0;
}
""" % {"p": p, "basis": basis, "prime": prime})


def c_table(m):
    p, n = m.p, m.noun
    m.emit("""
static int %(p)s_table_init(struct %(p)s_table *t, size_t cap)
{
    t->items = calloc(cap, sizeof *t->items);
    if (!t->items)
        return -1;
    t->len = 0;
    t->cap = cap;
    pthread_mutex_init(&t->lock, NULL);
    return 0;
}

static void %(p)s_table_free(struct %(p)s_table *t)
{
    pthread_mutex_destroy(&t->lock);
    free(t->items);
    t->items = NULL;
    t->len = t->cap = 0;
}

static int %(p)s_table_add(struct %(p)s_table *t, const char *name, int prio)
{
    struct %(p)s_%(n)s *it;
    pthread_mutex_lock(&t->lock);
    if (t->len == t->cap) {
        size_t ncap = t->cap ? t->cap * 2 : 8;
        struct %(p)s_%(n)s *grown = realloc(t->items, ncap * sizeof *grown);
        if (!grown) {
            pthread_mutex_unlock(&t->lock);
            return -1;
        }
        t->items = grown;
        t->cap = ncap;
    }
    it = &t->items[t->len++];
    memset(it, 0, sizeof *it);
    snprintf(it->name, sizeof it->name, "%%s", name);
    it->id = (uint32_t)++%(p)s_counter;
    it->priority = prio;
    it->active = true;
    pthread_mutex_unlock(&t->lock);
    return 0;
}

static struct %(p)s_%(n)s *%(p)s_table_find(struct %(p)s_table *t, const char *name)
{
    struct %(p)s_%(n)s *found = NULL;
    pthread_mutex_lock(&t->lock);
    for (size_t i = 0; i < t->len; i++) {
        if (strcmp(t->items[i].name, name) == 0) {
            found = &t->items[i];
            break;
        }
    }
    pthread_mutex_unlock(&t->lock);
    return found;
}

static int %(p)s_cmp_prio(const void *a, const void *b)
{
    const struct %(p)s_%(n)s *x = a, *y = b;
    if (x->priority != y->priority)
        return x->priority < y->priority ? 1 : -1;
    return strcmp(x->name, y->name);
}

static void %(p)s_table_sort(struct %(p)s_table *t)
{
    pthread_mutex_lock(&t->lock);
    qsort(t->items, t->len, sizeof *t->items, %(p)s_cmp_prio);
    pthread_mutex_unlock(&t->lock);
}
""" % {"p": p, "n": n})


def c_config(m):
    p = m.p
    keys = m.rng.sample(["workers", "timeout_ms", "retries", "batch",
                         "interval_ms", "queue_len", "port", "backlog"], 4)
    cases = ""
    for i, k in enumerate(keys):
        cases += """    if (strcmp(key, "%s") == 0) {
        if (%s_parse_int(val, 0, %d, &v) != 0)
            return -1;
        cfg->v[%d] = (int)v;
        return 0;
    }
""" % (k, p, m.rng.choice([64, 1000, 60000, 65535]), i)
    m.emit("""
struct %(p)s_config {
    int v[4];
    char label[32];
};

static int %(p)s_config_set(struct %(p)s_config *cfg, const char *key, const char *val)
{
    long v = 0;
%(cases)s    if (strcmp(key, "label") == 0) {
        snprintf(cfg->label, sizeof cfg->label, "%%s", val);
        return 0;
    }
    return -1;
}

static int %(p)s_config_parse(struct %(p)s_config *cfg, const char *text)
{
    char buf[512];
    char *line, *save = NULL;
    int lineno = 0;
    snprintf(buf, sizeof buf, "%%s", text);
    for (line = strtok_r(buf, "\\n", &save); line; line = strtok_r(NULL, "\\n", &save)) {
        char *fields[2];
        lineno++;
        line = %(p)s_trim(line);
        if (*line == '#' || *line == '\\0')
            continue;
        if (%(p)s_split(line, '=', fields, 2) != 2) {
            fprintf(stderr, "%(p)s: line %%d: expected key=value\\n", lineno);
            return -1;
        }
        %(p)s_lower(fields[0]);
        if (%(p)s_config_set(cfg, fields[0], fields[1]) != 0) {
            fprintf(stderr, "%(p)s: line %%d: bad %%s\\n", lineno, fields[0]);
            return -1;
        }
    }
    return 0;
}
""" % {"p": p, "cases": cases})


def c_format(m):
    p, n = m.p, m.noun
    m.emit("""
static int %(p)s_format(const struct %(p)s_%(n)s *it, char *out, size_t size)
{
    int w;
    switch (it->priority) {
    case 0:
        w = snprintf(out, size, "[low] %%s#%%u", it->name, it->id);
        break;
    case 1:
        w = snprintf(out, size, "[mid] %%s#%%u", it->name, it->id);
        break;
    case 2:
    case 3:
        w = snprintf(out, size, "[high] %%s#%%u", it->name, it->id);
        break;
    default:
        w = snprintf(out, size, "[p%%d] %%s#%%u", it->priority, it->name, it->id);
        break;
    }
    return w < 0 || (size_t)w >= size ? -1 : w;
}

static size_t %(p)s_dump(struct %(p)s_table *t, FILE *f)
{
    char line[128];
    size_t written = 0;
    for (size_t i = 0; i < t->len; i++) {
        if (!t->items[i].active)
            continue;
        if (%(p)s_format(&t->items[i], line, sizeof line) < 0)
            continue;
        fprintf(f, "%%s\\n", line);
        written++;
    }
    return written;
}
""" % {"p": p, "n": n})


def c_checksum(m):
    p = m.p
    m.emit("""
static uint32_t %(p)s_adler(const unsigned char *buf, size_t len)
{
    uint32_t a = 1, b = 0;
    for (size_t i = 0; i < len; i++) {
        a = (a + buf[i]) %% 65521u;
        b = (b + a) %% 65521u;
    }
    return (b << 16) | a;
}

static size_t %(p)s_hex(const unsigned char *buf, size_t len, char *out, size_t size)
{
    static const char digits[] = "0123456789abcdef";
    size_t o = 0;
    for (size_t i = 0; i < len && o + 2 < size; i++) {
        out[o++] = digits[buf[i] >> 4];
        out[o++] = digits[buf[i] & 15];
    }
    out[o] = '\\0';
    return o;
}
""" % {"p": p})


def c_ring(m):
    p = m.p
    m.emit("""
struct %(p)s_ring {
    int64_t slots[%(P)s_SLOTS];
    unsigned head, tail;
};

static bool %(p)s_ring_push(struct %(p)s_ring *r, int64_t v)
{
    if (r->tail - r->head == %(P)s_SLOTS)
        return false;
    r->slots[r->tail++ %% %(P)s_SLOTS] = v;
    return true;
}

static bool %(p)s_ring_pop(struct %(p)s_ring *r, int64_t *v)
{
    if (r->tail == r->head)
        return false;
    *v = r->slots[r->head++ %% %(P)s_SLOTS];
    return true;
}

static int64_t %(p)s_ring_sum(const struct %(p)s_ring *r)
{
    int64_t sum = 0;
    for (unsigned i = r->head; i != r->tail; i++)
        sum += r->slots[i %% %(P)s_SLOTS];
    return sum;
}
""" % {"p": p, "P": p.upper()})


# ---- concurrency, clean ----------------------------------------------------

def k_worker_pool(m):
    p = m.p
    nw = m.rng.randint(2, 8)
    m.emit("""
struct %(p)s_pool {
    tt_chan *jobs;
    tt_chan *results;
    tt_wg wg;
};

static void %(p)s_worker(void *arg)
{
    struct %(p)s_pool *pool = arg;
    int64_t job;
    while (tt_recv(pool->jobs, &job) == TT_OK) {
        int64_t r = job * job + (int64_t)%(p)s_hash("%(p)s") %% 7;
        tt_send(pool->results, &r);
    }
    tt_wg_done(&pool->wg);
}

int64_t %(p)s_run_pool(int njobs)
{
    struct %(p)s_pool pool = { .wg = TT_WG_INIT };
    int64_t total = 0, r;
    pool.jobs = tt_chan_new(sizeof(int64_t), %(nw)d);
    pool.results = tt_chan_new(sizeof(int64_t), (size_t)njobs);
    for (int w = 0; w < %(nw)d; w++) {
        tt_wg_add(&pool.wg, 1);
        tt_spawn(%(p)s_worker, &pool);
    }
    for (int64_t j = 0; j < njobs; j++)
        tt_send(pool.jobs, &j);
    tt_close(pool.jobs);
    tt_wg_wait(&pool.wg);
    tt_close(pool.results);
    while (tt_recv(pool.results, &r) == TT_OK)
        total += r;
    tt_chan_free(pool.jobs);
    tt_chan_free(pool.results);
    return total;
}
""" % {"p": p, "nw": nw})
    m.exports.append("%s_run_pool" % p)


def k_pipeline(m):
    p = m.p
    m.emit("""
struct %(p)s_stage {
    tt_chan *done;
    tt_chan *in;
    tt_chan *out;
};

static void %(p)s_generate(void *arg)
{
    struct %(p)s_stage *s = arg;
    for (int64_t v = 1;; v++) {
        tt_case cases[] = {
            TT_SEND(s->out, &v),
            TT_RECV(s->done, NULL),
        };
        if (tt_select(cases, 2) == 1)
            break;
    }
    tt_close(s->out);
}

static void %(p)s_square(void *arg)
{
    struct %(p)s_stage *s = arg;
    int64_t v;
    while (tt_recv(s->in, &v) == TT_OK) {
        int64_t sq = v * v;
        tt_case cases[] = {
            TT_SEND(s->out, &sq),
            TT_RECV(s->done, NULL),
        };
        if (tt_select(cases, 2) == 1)
            break;
    }
    tt_close(s->out);
}

int64_t %(p)s_pipeline(int take)
{
    static struct %(p)s_stage gen, sq;
    int64_t sum = 0, v;
    tt_chan *done = tt_chan_new(1, 0);
    gen.done = sq.done = done;
    gen.out = tt_chan_new(sizeof(int64_t), 0);
    sq.in = gen.out;
    sq.out = tt_chan_new(sizeof(int64_t), 0);
    tt_spawn(%(p)s_generate, &gen);
    tt_spawn(%(p)s_square, &sq);
    for (int i = 0; i < take; i++) {
        if (tt_recv(sq.out, &v) != TT_OK)
            break;
        sum += v;
    }
    tt_close(done);
    return sum;
}
""" % {"p": p})
    m.exports.append("%s_pipeline" % p)


def k_handler_timeout(m):
    p = m.p
    m.emit("""
struct %(p)s_query {
    tt_chan *result;
    int key;
};

static void %(p)s_lookup(void *arg)
{
    struct %(p)s_query *q = arg;
    int64_t data = q->key * 31;
    tt_sleep_ms(%(work)d);
    tt_send(q->result, &data); /* buffered: never blocks */
}

int64_t %(p)s_handle(int key)
{
    static struct %(p)s_query q;
    int64_t data = -1;
    q.key = key;
    q.result = tt_chan_new(sizeof(int64_t), 1);
    tt_spawn(%(p)s_lookup, &q);
    tt_case cases[] = {
        TT_RECV(q.result, &data),
        TT_RECV(tt_after(%(timeout)d), NULL),
    };
    if (tt_select(cases, 2) != 0) {
        fprintf(stderr, "%(p)s: lookup %%d timed out\\n", key);
        return -1;
    }
    return data;
}
""" % {"p": p, "work": m.rng.choice([5, 20, 50]),
       "timeout": m.rng.choice([10, 100, 250])})
    m.exports.append("%s_handle" % p)


def k_ticker(m):
    p = m.p
    m.emit("""
int %(p)s_poll(struct %(p)s_ring *r, int rounds)
{
    tt_ticker *t = tt_ticker_new(%(period)d);
    int64_t now = 0;
    int seen = 0;
    for (int i = 0; i < rounds; i++) {
        if (tt_recv(tt_ticker_chan(t), &now) != TT_OK)
            break;
        if (!%(p)s_ring_push(r, now))
            break;
        seen++;
    }
    tt_ticker_stop(t);
    return seen;
}
""" % {"p": p, "period": m.rng.choice([1, 5, 10, 50])})
    m.exports.append("%s_poll" % p)


def k_context(m):
    p = m.p
    m.emit("""
struct %(p)s_watch {
    tt_ctx *ctx;
    int64_t beats;
};

static void %(p)s_heartbeat(void *arg)
{
    struct %(p)s_watch *w = arg;
    for (;;) {
        tt_case cases[] = {
            TT_RECV(tt_ctx_done(w->ctx), NULL),
            TT_RECV(tt_after(%(beat)d), NULL),
        };
        if (tt_select(cases, 2) == 0)
            return;
        w->beats++;
    }
}

int64_t %(p)s_watch_for(int64_t ms)
{
    static struct %(p)s_watch w;
    w.ctx = tt_ctx_with_timeout(tt_ctx_background(), ms);
    w.beats = 0;
    tt_spawn(%(p)s_heartbeat, &w);
    tt_sleep_ms(ms / 2);
    tt_ctx_cancel(w.ctx);
    return w.beats;
}
""" % {"p": p, "beat": m.rng.choice([1, 2, 5])})
    m.exports.append("%s_watch_for" % p)


def k_mutex(m):
    p = m.p
    nt = m.rng.randint(2, 6)
    m.emit("""
struct %(p)s_shared {
    tt_mutex mu;
    tt_wg wg;
    int64_t hits;
    struct %(p)s_table *table;
};

static void %(p)s_bump(void *arg)
{
    struct %(p)s_shared *s = arg;
    for (int i = 0; i < 100; i++) {
        tt_mutex_lock(&s->mu);
        s->hits++;
        tt_mutex_unlock(&s->mu);
    }
    tt_wg_done(&s->wg);
}

int64_t %(p)s_count(struct %(p)s_table *table)
{
    static struct %(p)s_shared s = { TT_MUTEX_INIT, TT_WG_INIT, 0, NULL };
    s.table = table;
    tt_wg_add(&s.wg, %(nt)d);
    for (int i = 0; i < %(nt)d; i++)
        tt_spawn(%(p)s_bump, &s);
    tt_wg_wait(&s.wg);
    return s.hits;
}
""" % {"p": p, "nt": nt})
    m.exports.append("%s_count" % p)


def k_fanin(m):
    p = m.p
    m.emit("""
struct %(p)s_src {
    tt_chan *out;
    int n;
};

static void %(p)s_produce(void *arg)
{
    struct %(p)s_src *s = arg;
    for (int64_t i = 0; i < s->n; i++)
        tt_send(s->out, &i);
    tt_close(s->out);
}

int64_t %(p)s_merge(int n)
{
    static struct %(p)s_src a, b;
    tt_chan *chs[2];
    int open = 2;
    int64_t sum = 0, v = 0;
    a.out = tt_chan_new(sizeof(int64_t), 0);
    b.out = tt_chan_new(sizeof(int64_t), 0);
    a.n = b.n = n;
    chs[0] = a.out;
    chs[1] = b.out;
    tt_spawn(%(p)s_produce, &a);
    tt_spawn(%(p)s_produce, &b);
    while (open > 0) {
        tt_case cases[] = {
            TT_RECV(chs[0], &v),
            TT_RECV(chs[1], &v),
        };
        int i = tt_select(cases, 2);
        if (!cases[i].ok) {
            chs[i] = NULL; /* a closed input: turn its case off */
            open--;
            continue;
        }
        sum += v;
    }
    return sum;
}
""" % {"p": p})
    m.exports.append("%s_merge" % p)


CLEAN = [k_worker_pool, k_pipeline, k_handler_timeout, k_ticker, k_context,
         k_mutex, k_fanin]


# ---- concurrency, leaky (one per file, shaped like the fixtures) -----------

def l_spawn_no_cancel(m):
    p = m.p
    m.emit("""
static int64_t %(p)s_flushes;

static void %(p)s_flusher(void *arg)
{
    (void)arg;
    for (;;) {
        %(p)s_flushes++;
        tt_sleep_ms(%(ms)d);
    }
}

void %(p)s_start_flusher(void)
{
    tt_spawn(%(p)s_flusher, NULL); /* LEAK spawn-no-cancel */
}
""" % {"p": p, "ms": m.rng.choice([10, 100, 1000])})
    m.exports.append("%s_start_flusher" % p)
    return "spawn-no-cancel", "LEAK spawn-no-cancel"


def l_unbuffered_send(m):
    p = m.p
    m.emit("""
struct %(p)s_fetch {
    tt_chan *result;
    int key;
};

static void %(p)s_fetch_task(void *arg)
{
    struct %(p)s_fetch *f = arg;
    int64_t data = f->key + 1;
    tt_sleep_ms(%(work)d);
    tt_send(f->result, &data); /* LEAK unbuffered-send-no-fallback */
}

int64_t %(p)s_fetch_with_timeout(int key)
{
    static struct %(p)s_fetch f;
    int64_t data = 0;
    f.key = key;
    f.result = tt_chan_new(sizeof(int64_t), 0);
    tt_spawn(%(p)s_fetch_task, &f);
    tt_case cases[] = {
        TT_RECV(f.result, &data),
        TT_RECV(tt_after(%(timeout)d), NULL),
    };
    if (tt_select(cases, 2) == 0)
        return data;
    fprintf(stderr, "%(p)s: fetch timed out\\n");
    return -1;
}
""" % {"p": p, "work": m.rng.choice([50, 100]),
       "timeout": m.rng.choice([10, 20])})
    m.exports.append("%s_fetch_with_timeout" % p)
    return "unbuffered-send-no-fallback", "LEAK unbuffered-send-no-fallback"


def l_ticker(m):
    p = m.p
    m.emit("""
int %(p)s_sample(int samples)
{
    tt_ticker *t = tt_ticker_new(%(period)d); /* LEAK ticker-not-stopped */
    if (samples <= 0) {
        fprintf(stderr, "%(p)s: bad sample count\\n");
        return -1;
    }
    for (int i = 0; i < samples; i++)
        tt_recv(tt_ticker_chan(t), NULL);
    tt_ticker_stop(t);
    return 0;
}
""" % {"p": p, "period": m.rng.choice([5, 10])})
    m.exports.append("%s_sample" % p)
    return "ticker-not-stopped", "LEAK ticker-not-stopped"


def l_wg(m):
    p = m.p
    m.emit("""
static void %(p)s_load(void *arg)
{
    tt_wg *wg = arg;
    tt_sleep_ms(1);
    tt_wg_done(wg);
}

void %(p)s_load_all(void)
{
    static tt_wg wg = TT_WG_INIT;
    tt_wg_add(&wg, 2); /* LEAK wg-unbalanced */
    tt_spawn(%(p)s_load, &wg);
    tt_wg_wait(&wg);
}
""" % {"p": p})
    m.exports.append("%s_load_all" % p)
    return "wg-unbalanced", "LEAK wg-unbalanced"


LEAKY = {"spawn-no-cancel": l_spawn_no_cancel,
         "unbuffered-send-no-fallback": l_unbuffered_send,
         "ticker-not-stopped": l_ticker,
         "wg-unbalanced": l_wg}


# ---- a module ---------------------------------------------------------------

def c_entry(m):
    """A public init function that ties the plain code together (and uses
    every static helper the module has, so nothing is unused)."""
    p, has = m.p, m.has
    body = []
    decl = ["    struct %s_table table;" % p,
            "    struct %s_ring ring = { .head = 0 };" % p,
            "    int64_t v;",
            "    int n = 8;",
            '    const char *label = "%s";' % m.topic]
    if "config" in has:
        decl.append("    struct %s_config cfg;" % p)
        body += ["    memset(&cfg, 0, sizeof cfg);",
                 "    if (%s_config_parse(&cfg, conf) != 0)" % p,
                 "        return -1;",
                 "    n = cfg.v[0];",
                 "    label = cfg.label;"]
    else:
        decl.append("    char copy[128];")
        decl.append("    char *fields[4];")
        body += ["    snprintf(copy, sizeof copy, \"%s\", conf);",
                 "    if (%s_split(copy, ',', fields, 4) > 1) {" % p,
                 "        long parsed = 0;",
                 "        %s_lower(fields[0]);" % p,
                 "        if (%s_parse_int(fields[1], 0, 64, &parsed) == 0)" % p,
                 "            n = (int)parsed;",
                 "    }"]
    if "checksum" in has:
        decl.append("    char hex[16];")
    body += ["    if (%s_table_init(&table, 16) != 0)" % p,
             "        return -1;",
             "    for (int i = 0; i < n && i < 64; i++) {",
             "        char name[32];",
             "        snprintf(name, sizeof name, \"%s-%d\", label, i);",
             "        if (%s_table_add(&table, name, i %% 5) != 0)" % p,
             "            break;",
             "        %s_ring_push(&ring, (int64_t)%s_bucket(name, 97));" % (p, p),
             "    }",
             "    %s_table_sort(&table);" % p]
    if "format" in has:
        body += ["    if (%s_table_find(&table, \"none\") == NULL)" % p,
                 "        fprintf(log, \"%s: %%zu entries\\n\", %s_dump(&table, log));"
                 % (p, p)]
    else:
        body += ["    if (%s_table_find(&table, \"none\") == NULL)" % p,
                 "        fprintf(log, \"%s: %%zu entries\\n\", table.len);" % p]
    body += ["    fprintf(log, \"%s: sum %%lld\\n\", (long long)%s_ring_sum(&ring));"
             % (p, p),
             "    while (%s_ring_pop(&ring, &v))" % p,
             "        %s_counter += (uint64_t)v;" % p]
    if "checksum" in has:
        body += ["    %s_hex((const unsigned char *)label, strlen(label), hex, sizeof hex);" % p,
                 "    fprintf(log, \"%s: label %%s adler %%u\\n\", hex," % p,
                 "            %s_adler((const unsigned char *)conf, strlen(conf)));" % p]
    body += ["    %s_table_free(&table);" % p, "    return 0;"]
    m.emit("\nint %s_init(const char *conf, FILE *log)\n{\n%s\n%s\n}"
           % (p, "\n".join(decl), "\n".join(body)))


def module(rng, index, leak_rule):
    m = Module(rng, index)
    c_header(m)
    c_types(m)
    c_strings(m)
    c_hash(m)
    c_table(m)
    # Optional plain pieces, so that modules differ in size (about 200-400 lines).
    m.has = {name for name in ("config", "format", "checksum")
             if rng.random() < 0.4}
    if "config" in m.has:
        c_config(m)
    if "format" in m.has:
        c_format(m)
    if "checksum" in m.has:
        c_checksum(m)
    c_ring(m)
    # Concurrency: one to three clean pieces, plus the planted leak if any.
    kinds = rng.sample(CLEAN, rng.randint(1, 3))
    for k in kinds:
        k(m)
    if leak_rule:
        rule, marker = LEAKY[leak_rule](m)
        m.leak = (rule, m.line_of(marker))
    c_entry(m)
    return m


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("outdir")
    ap.add_argument("count", type=int)
    ap.add_argument("--seed", type=int, default=20240601)
    args = ap.parse_args()
    os.makedirs(args.outdir, exist_ok=True)
    rng = random.Random(args.seed)
    expected = []
    total_lines = 0
    for i in range(args.count):
        leak = rng.choice(RULES) if rng.random() < LEAK_RATE else None
        m = module(rng, i, leak)
        name = m.file
        text = m.text()
        total_lines += text.count("\n")
        with open(os.path.join(args.outdir, name), "w") as f:
            f.write(text)
        if m.leak:
            expected.append("%s\t%d\t%s\n" % (name, m.leak[1], m.leak[0]))
    with open(os.path.join(args.outdir, "expected.tsv"), "w") as f:
        f.write("".join(expected))
    sys.stderr.write("gen_corpus: %d files, %d lines, %d planted leaks in %s\n"
                     % (args.count, total_lines, len(expected), args.outdir))


if __name__ == "__main__":
    main()
