/*
 * loadgen.c -- epoll load generator for echo servers (gnet benchmark, issue 8).
 *
 * Built by bench/run.py with `cc -O2 -o loadgen loadgen.c`.  One process, one
 * thread, one epoll set; it is meant to be pinned to its own core.
 *
 * Modes (--mode):
 *   pingpong  C connections each send S bytes and wait for the S-byte echo,
 *             then go again.  Reports round trips/s and p50/p99 latency.
 *   bulk      C connections each write continuously in chunks of S bytes and
 *             read the echo back; every echoed byte is checked against a
 *             deterministic per-connection pattern.  Reports MB/s (10^6 B/s)
 *             of verified echoed bytes.
 *   connrate  P parallel clients loop connect / send S bytes / read the echo /
 *             close.  TCP client source addresses are spread over
 *             127.0.0.2 .. 127.0.0.(1+spread) (bind before connect, with
 *             IP_BIND_ADDRESS_NO_PORT) to avoid TIME_WAIT port exhaustion.
 *             Reports connections/s.
 *   idle      open N connections (each does one 1-byte round trip so the
 *             server has surely accepted and served it), print
 *             "ESTABLISHED <n>", then hold them until a line arrives on stdin
 *             (or --hold seconds pass), close them and report.
 *
 * Timed modes run --warmup seconds, print "WARM_END", run --seconds more,
 * print "MEASURE_END", then one line "RESULT {json}".  Counters, latency and
 * the generator's own CPU time (getrusage) cover the measured window only.
 * Errors go to stderr; a verification failure exits with status 3.
 *
 * Target: --host H --port P (TCP, IPv4 or IPv6 literal) or --path FILE (Unix).
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#ifndef IP_BIND_ADDRESS_NO_PORT
#define IP_BIND_ADDRESS_NO_PORT 24
#endif

#define MAX_EVENTS 512
#define RBUF_SIZE (256 * 1024)          /* bulk read size */
#define PLEN 1048573                    /* pattern period: a prime near 1 MiB */
#define HIST_US 2000000                 /* latency histogram: 1 us buckets up to 2 s */

/* ---- options ------------------------------------------------------------ */

static const char *o_mode = "pingpong";
static const char *o_host = "127.0.0.1";
static int o_port = 0;
static const char *o_path = NULL;
static int o_conns = 1;
static size_t o_size = 64;
static double o_warmup = 1.0, o_seconds = 5.0;
static int o_parallel = 16;
static int o_idle = 10000;
static int o_spread = 64;
static double o_hold = 600.0;           /* idle: longest hold without a stdin line */
static double o_setup_timeout = 60.0;   /* connecting everything must finish within */

/* ---- target address ----------------------------------------------------- */

static struct sockaddr_storage g_addr;
static socklen_t g_addrlen;
static int g_family;

static void die(const char *what) {
    fprintf(stderr, "loadgen: %s: %s\n", what, strerror(errno));
    exit(2);
}

static void setup_target(void) {
    memset(&g_addr, 0, sizeof g_addr);
    if (o_path) {
        struct sockaddr_un *un = (struct sockaddr_un *)&g_addr;
        if (strlen(o_path) >= sizeof un->sun_path) {
            fprintf(stderr, "loadgen: path too long\n");
            exit(2);
        }
        un->sun_family = AF_UNIX;
        strcpy(un->sun_path, o_path);
        g_addrlen = sizeof *un;
        g_family = AF_UNIX;
        return;
    }
    struct sockaddr_in *in4 = (struct sockaddr_in *)&g_addr;
    struct sockaddr_in6 *in6 = (struct sockaddr_in6 *)&g_addr;
    if (inet_pton(AF_INET, o_host, &in4->sin_addr) == 1) {
        in4->sin_family = AF_INET;
        in4->sin_port = htons((uint16_t)o_port);
        g_addrlen = sizeof *in4;
        g_family = AF_INET;
    } else if (inet_pton(AF_INET6, o_host, &in6->sin6_addr) == 1) {
        in6->sin6_family = AF_INET6;
        in6->sin6_port = htons((uint16_t)o_port);
        g_addrlen = sizeof *in6;
        g_family = AF_INET6;
    } else {
        fprintf(stderr, "loadgen: --host must be an IP literal\n");
        exit(2);
    }
}

/* Only spread sources when the target is IPv4 loopback (127/8). */
static int spread_sources(void) {
    if (g_family != AF_INET || o_spread <= 0) return 0;
    const struct sockaddr_in *in4 = (const struct sockaddr_in *)&g_addr;
    return (ntohl(in4->sin_addr.s_addr) >> 24) == 127;
}

static unsigned g_src_next;

/* A non-blocking socket with connect() started.  Returns fd, or -1 (errno). */
static int start_connect(int nodelay) {
    int fd = socket(g_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd < 0) return -1;
    if (g_family != AF_UNIX && nodelay) {
        int one = 1;
        setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    }
    if (spread_sources()) {
        int one = 1;
        setsockopt(fd, IPPROTO_IP, IP_BIND_ADDRESS_NO_PORT, &one, sizeof one);
        struct sockaddr_in src;
        memset(&src, 0, sizeof src);
        src.sin_family = AF_INET;
        src.sin_addr.s_addr = htonl(0x7f000002u + (g_src_next++ % (unsigned)o_spread));
        if (bind(fd, (struct sockaddr *)&src, sizeof src) < 0) {
            int e = errno;
            close(fd);
            errno = e;
            return -1;
        }
    }
    if (connect(fd, (struct sockaddr *)&g_addr, g_addrlen) < 0 && errno != EINPROGRESS) {
        int e = errno;
        close(fd);
        errno = e;
        return -1;
    }
    return fd;
}

/* ---- time, cpu, pattern, histogram ------------------------------------- */

static inline int64_t now_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static struct rusage g_ru;
static void ru_now(void) { getrusage(RUSAGE_SELF, &g_ru); }
static double cpu_user(void) { return g_ru.ru_utime.tv_sec + g_ru.ru_utime.tv_usec / 1e6; }
static double cpu_sys(void) { return g_ru.ru_stime.tv_sec + g_ru.ru_stime.tv_usec / 1e6; }

static unsigned char *g_pat;            /* PLEN + max(RBUF_SIZE, size) bytes */

static void make_pattern(size_t extra) {
    size_t n = PLEN + extra;
    g_pat = malloc(n);
    if (!g_pat) die("malloc");
    uint64_t x = 0x9E3779B97F4A7C15ULL;
    for (size_t i = 0; i < n; i++) {
        if (i < PLEN) {
            x ^= x << 13; x ^= x >> 7; x ^= x << 17;
            g_pat[i] = (unsigned char)(x >> 24);
        } else {
            g_pat[i] = g_pat[i - PLEN];
        }
    }
}

static uint32_t *g_hist;
static uint64_t g_hist_over, g_hist_n;

static void hist_add(int64_t ns) {
    int64_t us = ns / 1000;
    if (us < 0) us = 0;
    if (us >= HIST_US) g_hist_over++;
    else g_hist[us]++;
    g_hist_n++;
}

static double hist_pct(double p) {
    if (g_hist_n == 0) return -1;
    uint64_t want = (uint64_t)(p * (double)g_hist_n);
    if (want >= g_hist_n) want = g_hist_n - 1;
    uint64_t acc = 0;
    for (int i = 0; i < HIST_US; i++) {
        acc += g_hist[i];
        if (acc > want) return i + 0.5;
    }
    return HIST_US;
}

/* ---- phases ------------------------------------------------------------- */

struct phase {
    int64_t t_start, t_warm, t_end;     /* planned */
    int64_t t_warm_real, t_end_real;    /* observed */
    int measuring;                      /* inside the measured window */
    int done;
    double u0, s0;                      /* rusage at warm end */
};

static void phase_init(struct phase *ph) {
    memset(ph, 0, sizeof *ph);
    ph->t_start = now_ns();
    ph->t_warm = ph->t_start + (int64_t)(o_warmup * 1e9);
    ph->t_end = ph->t_warm + (int64_t)(o_seconds * 1e9);
}

/* Advance the phase; returns 1 exactly when the measured window opens. */
static int phase_tick(struct phase *ph, int64_t t) {
    if (!ph->measuring && !ph->done && t >= ph->t_warm) {
        ph->measuring = 1;
        ph->t_warm_real = t;
        ru_now();
        ph->u0 = cpu_user();
        ph->s0 = cpu_sys();
        printf("WARM_END\n");
        fflush(stdout);
        return 1;
    }
    if (ph->measuring && t >= ph->t_end) {
        ph->measuring = 0;
        ph->done = 1;
        ph->t_end_real = t;
        printf("MEASURE_END\n");
        fflush(stdout);
    }
    return 0;
}

static int phase_timeout_ms(const struct phase *ph, int64_t t) {
    int64_t next = ph->measuring ? ph->t_end : ph->t_warm;
    int64_t ms = (next - t + 999999) / 1000000;
    if (ms < 0) ms = 0;
    if (ms > 50) ms = 50;
    return (int)ms;
}

static void print_result_common(const struct phase *ph, const char *extra) {
    ru_now();
    double wall = (ph->t_end_real - ph->t_warm_real) / 1e9;
    double u = cpu_user() - ph->u0, s = cpu_sys() - ph->s0;
    printf("RESULT {\"mode\":\"%s\",\"measured_s\":%.6f,\"cpu_user_s\":%.6f,"
           "\"cpu_sys_s\":%.6f,\"cpu_frac\":%.4f,%s}\n",
           o_mode, wall, u, s, wall > 0 ? (u + s) / wall : 0.0, extra);
    fflush(stdout);
}

static int g_ep;

static void ep_add(int fd, uint32_t ev, uint64_t data) {
    struct epoll_event e = {.events = ev, .data.u64 = data};
    if (epoll_ctl(g_ep, EPOLL_CTL_ADD, fd, &e) < 0) die("epoll_ctl add");
}

static void ep_mod(int fd, uint32_t ev, uint64_t data) {
    struct epoll_event e = {.events = ev, .data.u64 = data};
    if (epoll_ctl(g_ep, EPOLL_CTL_MOD, fd, &e) < 0) die("epoll_ctl mod");
}

/* Wait until every fd in fds[] has finished connect(); exits on failure. */
static void wait_connected(int *fds, int n) {
    int64_t deadline = now_ns() + (int64_t)(o_setup_timeout * 1e9);
    int pending = n;
    char *ok = calloc((size_t)n, 1);
    int ep = epoll_create1(EPOLL_CLOEXEC);
    for (int i = 0; i < n; i++) {
        struct epoll_event e = {.events = EPOLLOUT, .data.u64 = (uint64_t)i};
        epoll_ctl(ep, EPOLL_CTL_ADD, fds[i], &e);
    }
    struct epoll_event evs[MAX_EVENTS];
    while (pending > 0) {
        if (now_ns() > deadline) {
            fprintf(stderr, "loadgen: connect timed out (%d pending)\n", pending);
            exit(2);
        }
        int k = epoll_wait(ep, evs, MAX_EVENTS, 100);
        for (int j = 0; j < k; j++) {
            int i = (int)evs[j].data.u64;
            if (ok[i]) continue;
            int err = 0;
            socklen_t len = sizeof err;
            getsockopt(fds[i], SOL_SOCKET, SO_ERROR, &err, &len);
            if (err) {
                errno = err;
                die("connect");
            }
            ok[i] = 1;
            pending--;
            epoll_ctl(ep, EPOLL_CTL_DEL, fds[i], NULL);
        }
    }
    close(ep);
    free(ok);
}

/* ---- pingpong ----------------------------------------------------------- */

struct pp {
    int fd;
    size_t sent, recvd;
    uint64_t round;
    int64_t t0;
    unsigned char *rbuf;
    int want_out;
};

static const unsigned char *pp_payload(int i, uint64_t round) {
    return g_pat + (((uint64_t)i * 7919u + round * o_size) % PLEN);
}

static int pp_send(struct pp *c, int i) {
    const unsigned char *p = pp_payload(i, c->round);
    while (c->sent < o_size) {
        ssize_t w = write(c->fd, p + c->sent, o_size - c->sent);
        if (w < 0) {
            if (errno == EAGAIN) break;
            if (errno == EINTR) continue;
            return -1;
        }
        c->sent += (size_t)w;
    }
    int want = c->sent < o_size;
    if (want != c->want_out) {
        ep_mod(c->fd, EPOLLIN | (want ? EPOLLOUT : 0), (uint64_t)i);
        c->want_out = want;
    }
    return 0;
}

static int run_pingpong(void) {
    make_pattern(o_size);
    g_hist = calloc(HIST_US, sizeof *g_hist);
    struct pp *cs = calloc((size_t)o_conns, sizeof *cs);
    int *fds = malloc(sizeof(int) * (size_t)o_conns);
    for (int i = 0; i < o_conns; i++) {
        fds[i] = start_connect(1);
        if (fds[i] < 0) die("connect");
    }
    wait_connected(fds, o_conns);
    for (int i = 0; i < o_conns; i++) {
        cs[i].fd = fds[i];
        cs[i].rbuf = malloc(o_size);
        ep_add(fds[i], EPOLLIN, (uint64_t)i);
    }
    struct phase ph;
    phase_init(&ph);
    uint64_t rts = 0, rts_warm = 0, errors = 0;
    for (int i = 0; i < o_conns; i++) {
        cs[i].t0 = now_ns();
        if (pp_send(&cs[i], i) < 0) die("write");
    }
    struct epoll_event evs[MAX_EVENTS];
    while (!ph.done) {
        int64_t t = now_ns();
        if (phase_tick(&ph, t)) rts_warm = rts;
        if (ph.done) break;
        int k = epoll_wait(g_ep, evs, MAX_EVENTS, phase_timeout_ms(&ph, t));
        if (k < 0 && errno != EINTR) die("epoll_wait");
        for (int j = 0; j < k; j++) {
            int i = (int)evs[j].data.u64;
            struct pp *c = &cs[i];
            if (evs[j].events & EPOLLOUT) {
                if (pp_send(c, i) < 0) die("write");
            }
            if (!(evs[j].events & (EPOLLIN | EPOLLHUP | EPOLLERR))) continue;
            ssize_t r = read(c->fd, c->rbuf + c->recvd, o_size - c->recvd);
            if (r < 0) {
                if (errno == EAGAIN || errno == EINTR) continue;
                die("read");
            }
            if (r == 0) {
                fprintf(stderr, "loadgen: server closed connection %d\n", i);
                exit(2);
            }
            c->recvd += (size_t)r;
            if (c->recvd < o_size) continue;
            int64_t t1 = now_ns();
            if (memcmp(c->rbuf, pp_payload(i, c->round), o_size) != 0) {
                fprintf(stderr, "loadgen: VERIFY FAIL pingpong conn %d round %llu\n", i,
                        (unsigned long long)c->round);
                exit(3);
            }
            if (ph.measuring) hist_add(t1 - c->t0);
            rts++;
            c->round++;
            c->sent = c->recvd = 0;
            c->t0 = t1;
            if (pp_send(c, i) < 0) die("write");
        }
    }
    uint64_t n = rts - rts_warm;
    double wall = (ph.t_end_real - ph.t_warm_real) / 1e9;
    char extra[512];
    snprintf(extra, sizeof extra,
             "\"conns\":%d,\"size\":%zu,\"ops\":%llu,\"rate\":%.3f,\"p50_us\":%.1f,"
             "\"p99_us\":%.1f,\"lat_over_2s\":%llu,\"errors\":%llu",
             o_conns, o_size, (unsigned long long)n, n / wall, hist_pct(0.50), hist_pct(0.99),
             (unsigned long long)g_hist_over, (unsigned long long)errors);
    print_result_common(&ph, extra);
    return 0;
}

/* ---- bulk --------------------------------------------------------------- */

struct bk {
    int fd;
    uint64_t soff, roff;
    uint64_t shift;
};

static int run_bulk(void) {
    size_t extra_len = o_size > RBUF_SIZE ? o_size : RBUF_SIZE;
    make_pattern(extra_len);
    unsigned char *rbuf = malloc(RBUF_SIZE);
    struct bk *cs = calloc((size_t)o_conns, sizeof *cs);
    int *fds = malloc(sizeof(int) * (size_t)o_conns);
    for (int i = 0; i < o_conns; i++) {
        fds[i] = start_connect(1);
        if (fds[i] < 0) die("connect");
    }
    wait_connected(fds, o_conns);
    for (int i = 0; i < o_conns; i++) {
        cs[i].fd = fds[i];
        cs[i].shift = ((uint64_t)i * 104729u + 17u) % PLEN;
        ep_add(fds[i], EPOLLIN | EPOLLOUT, (uint64_t)i);
    }
    struct phase ph;
    phase_init(&ph);
    uint64_t rbytes = 0, rbytes_warm = 0, sbytes = 0, sbytes_warm = 0;
    struct epoll_event evs[MAX_EVENTS];
    while (!ph.done) {
        int64_t t = now_ns();
        if (phase_tick(&ph, t)) {
            rbytes_warm = rbytes;
            sbytes_warm = sbytes;
        }
        if (ph.done) break;
        int k = epoll_wait(g_ep, evs, MAX_EVENTS, phase_timeout_ms(&ph, t));
        if (k < 0 && errno != EINTR) die("epoll_wait");
        for (int j = 0; j < k; j++) {
            int i = (int)evs[j].data.u64;
            struct bk *c = &cs[i];
            if (evs[j].events & (EPOLLIN | EPOLLHUP | EPOLLERR)) {
                for (int rounds = 0; rounds < 4; rounds++) {
                    ssize_t r = read(c->fd, rbuf, RBUF_SIZE);
                    if (r < 0) {
                        if (errno == EAGAIN) break;
                        if (errno == EINTR) continue;
                        die("read");
                    }
                    if (r == 0) {
                        fprintf(stderr, "loadgen: server closed connection %d\n", i);
                        exit(2);
                    }
                    size_t start = (size_t)((c->roff + c->shift) % PLEN);
                    if (memcmp(rbuf, g_pat + start, (size_t)r) != 0) {
                        size_t at = 0;
                        while (at < (size_t)r && rbuf[at] == g_pat[start + at]) at++;
                        fprintf(stderr, "loadgen: VERIFY FAIL bulk conn %d at byte %llu\n", i,
                                (unsigned long long)(c->roff + at));
                        exit(3);
                    }
                    c->roff += (uint64_t)r;
                    rbytes += (uint64_t)r;
                    if ((size_t)r < RBUF_SIZE) break;
                }
            }
            if (evs[j].events & EPOLLOUT) {
                for (int rounds = 0; rounds < 4; rounds++) {
                    size_t n = o_size - (size_t)(c->soff % o_size);
                    size_t start = (size_t)((c->soff + c->shift) % PLEN);
                    ssize_t w = write(c->fd, g_pat + start, n);
                    if (w < 0) {
                        if (errno == EAGAIN) break;
                        if (errno == EINTR) continue;
                        die("write");
                    }
                    c->soff += (uint64_t)w;
                    sbytes += (uint64_t)w;
                    if ((size_t)w < n) break;
                }
            }
        }
    }
    double wall = (ph.t_end_real - ph.t_warm_real) / 1e9;
    uint64_t n = rbytes - rbytes_warm;
    char extra[512];
    snprintf(extra, sizeof extra,
             "\"conns\":%d,\"size\":%zu,\"bytes\":%llu,\"sent_bytes\":%llu,\"rate\":%.3f,"
             "\"mbps\":%.3f,\"errors\":0",
             o_conns, o_size, (unsigned long long)n,
             (unsigned long long)(sbytes - sbytes_warm), n / wall / 1e6, n / wall / 1e6);
    print_result_common(&ph, extra);
    return 0;
}

/* ---- connrate ----------------------------------------------------------- */

enum cr_state { CR_CONNECTING, CR_RECEIVING };

struct cr {
    int fd;
    enum cr_state st;
    size_t recvd;
    int64_t t0;
    unsigned char *rbuf;
};

static uint64_t g_cr_errors;
static int64_t g_cr_deadline;           /* give up reconnecting after this */

static void cr_start(struct cr *c, int i) {
    for (;;) {
        c->fd = start_connect(0);
        if (c->fd >= 0) break;
        g_cr_errors++;
        if (g_cr_errors < 5) fprintf(stderr, "loadgen: connect: %s\n", strerror(errno));
        if (now_ns() > g_cr_deadline) {
            fprintf(stderr, "loadgen: cannot connect any more, giving up\n");
            exit(2);
        }
        usleep(1000);
    }
    c->st = CR_CONNECTING;
    c->recvd = 0;
    c->t0 = now_ns();
    ep_add(c->fd, EPOLLOUT, (uint64_t)i);
}

static void cr_fail(struct cr *c, int i, const char *what, int err) {
    g_cr_errors++;
    if (g_cr_errors < 5) fprintf(stderr, "loadgen: %s: %s\n", what, strerror(err));
    close(c->fd);
    cr_start(c, i);
}

static int run_connrate(void) {
    make_pattern(o_size);
    g_hist = calloc(HIST_US, sizeof *g_hist);
    struct cr *cs = calloc((size_t)o_parallel, sizeof *cs);
    for (int i = 0; i < o_parallel; i++) cs[i].rbuf = malloc(o_size);
    struct phase ph;
    phase_init(&ph);
    g_cr_deadline = ph.t_end + 5000000000LL;
    uint64_t conns = 0, conns_warm = 0, errors_warm = 0;
    for (int i = 0; i < o_parallel; i++) cr_start(&cs[i], i);
    struct epoll_event evs[MAX_EVENTS];
    while (!ph.done) {
        int64_t t = now_ns();
        if (phase_tick(&ph, t)) {
            conns_warm = conns;
            errors_warm = g_cr_errors;
        }
        if (ph.done) break;
        int k = epoll_wait(g_ep, evs, MAX_EVENTS, phase_timeout_ms(&ph, t));
        if (k < 0 && errno != EINTR) die("epoll_wait");
        for (int j = 0; j < k; j++) {
            int i = (int)evs[j].data.u64;
            struct cr *c = &cs[i];
            const unsigned char *msg = g_pat + ((uint64_t)i * 7919u) % PLEN;
            if (c->st == CR_CONNECTING) {
                int err = 0;
                socklen_t len = sizeof err;
                getsockopt(c->fd, SOL_SOCKET, SO_ERROR, &err, &len);
                if (err) {
                    cr_fail(c, i, "connect", err);
                    continue;
                }
                ssize_t w = write(c->fd, msg, o_size);
                if (w != (ssize_t)o_size) {
                    cr_fail(c, i, "write", w < 0 ? errno : EIO);
                    continue;
                }
                c->st = CR_RECEIVING;
                ep_mod(c->fd, EPOLLIN, (uint64_t)i);
                continue;
            }
            ssize_t r = read(c->fd, c->rbuf + c->recvd, o_size - c->recvd);
            if (r < 0) {
                if (errno == EAGAIN || errno == EINTR) continue;
                cr_fail(c, i, "read", errno);
                continue;
            }
            if (r == 0) {
                cr_fail(c, i, "read", ECONNRESET);
                continue;
            }
            c->recvd += (size_t)r;
            if (c->recvd < o_size) continue;
            if (memcmp(c->rbuf, msg, o_size) != 0) {
                fprintf(stderr, "loadgen: VERIFY FAIL connrate client %d\n", i);
                exit(3);
            }
            int64_t t1 = now_ns();
            if (ph.measuring) hist_add(t1 - c->t0);
            close(c->fd);  /* the epoll registration goes with the last fd reference */
            conns++;
            cr_start(c, i);
        }
    }
    double wall = (ph.t_end_real - ph.t_warm_real) / 1e9;
    uint64_t n = conns - conns_warm;
    char extra[512];
    snprintf(extra, sizeof extra,
             "\"parallel\":%d,\"size\":%zu,\"ops\":%llu,\"rate\":%.3f,\"p50_us\":%.1f,"
             "\"p99_us\":%.1f,\"errors\":%llu,\"src_spread\":%d",
             o_parallel, o_size, (unsigned long long)n, n / wall, hist_pct(0.50),
             hist_pct(0.99), (unsigned long long)(g_cr_errors - errors_warm),
             spread_sources() ? o_spread : 0);
    print_result_common(&ph, extra);
    return 0;
}

/* ---- idle --------------------------------------------------------------- */

enum id_state { ID_CONNECTING, ID_RECEIVING, ID_DONE };

static int run_idle(void) {
    const int max_pending = 256;
    int *fds = malloc(sizeof(int) * (size_t)o_idle);
    unsigned char *st = calloc((size_t)o_idle, 1);
    int started = 0, done = 0, pending = 0;
    int64_t t_begin = now_ns();
    int64_t deadline = t_begin + (int64_t)(o_setup_timeout * 1e9);
    struct epoll_event evs[MAX_EVENTS];
    unsigned char b = 'x', rb;
    while (done < o_idle) {
        while (pending < max_pending && started < o_idle) {
            int fd = start_connect(1);
            if (fd < 0) {
                fprintf(stderr, "loadgen: connect #%d: %s\n", started, strerror(errno));
                goto established;
            }
            fds[started] = fd;
            st[started] = ID_CONNECTING;
            ep_add(fd, EPOLLOUT, (uint64_t)started);
            started++;
            pending++;
        }
        if (now_ns() > deadline) {
            fprintf(stderr, "loadgen: idle setup timed out (%d of %d)\n", done, o_idle);
            goto established;
        }
        int k = epoll_wait(g_ep, evs, MAX_EVENTS, 100);
        for (int j = 0; j < k; j++) {
            int i = (int)evs[j].data.u64;
            if (st[i] == ID_CONNECTING) {
                int err = 0;
                socklen_t len = sizeof err;
                getsockopt(fds[i], SOL_SOCKET, SO_ERROR, &err, &len);
                if (err || write(fds[i], &b, 1) != 1) {
                    fprintf(stderr, "loadgen: idle conn #%d: %s\n", i, strerror(err ? err : errno));
                    goto established;
                }
                st[i] = ID_RECEIVING;
                ep_mod(fds[i], EPOLLIN, (uint64_t)i);
            } else if (st[i] == ID_RECEIVING) {
                ssize_t r = read(fds[i], &rb, 1);
                if (r < 0 && (errno == EAGAIN || errno == EINTR)) continue;
                if (r != 1 || rb != b) {
                    fprintf(stderr, "loadgen: idle conn #%d: no echo\n", i);
                    goto established;
                }
                st[i] = ID_DONE;
                epoll_ctl(g_ep, EPOLL_CTL_DEL, fds[i], NULL);
                pending--;
                done++;
            }
        }
    }
established:;
    double setup_s = (now_ns() - t_begin) / 1e9;
    printf("ESTABLISHED %d\n", done);
    fflush(stdout);
    struct pollfd pfd = {.fd = 0, .events = POLLIN};
    int64_t hold_end = now_ns() + (int64_t)(o_hold * 1e9);
    for (;;) {
        int64_t left = (hold_end - now_ns()) / 1000000;
        if (left <= 0) break;
        int r = poll(&pfd, 1, left > 1000 ? 1000 : (int)left);
        if (r > 0) break;               /* a line, EOF or hang-up: all mean "close now" */
    }
    for (int i = 0; i < started; i++) close(fds[i]);
    ru_now();
    printf("RESULT {\"mode\":\"idle\",\"requested\":%d,\"established\":%d,\"setup_s\":%.3f,"
           "\"cpu_user_s\":%.6f,\"cpu_sys_s\":%.6f}\n",
           o_idle, done, setup_s, cpu_user(), cpu_sys());
    fflush(stdout);
    return done == o_idle ? 0 : 4;
}

/* ---- main --------------------------------------------------------------- */

static void usage(void) {
    fprintf(stderr,
            "usage: loadgen --mode pingpong|bulk|connrate|idle (--host H --port P | --path F)\n"
            "               [--conns C] [--size S] [--warmup W] [--seconds T]\n"
            "               [--parallel P] [--idle N] [--spread K] [--hold SEC]\n");
    exit(2);
}

int main(int argc, char **argv) {
    static struct option longopts[] = {
        {"mode", required_argument, 0, 'm'},   {"host", required_argument, 0, 'h'},
        {"port", required_argument, 0, 'p'},   {"path", required_argument, 0, 'u'},
        {"conns", required_argument, 0, 'c'},  {"size", required_argument, 0, 's'},
        {"warmup", required_argument, 0, 'w'}, {"seconds", required_argument, 0, 't'},
        {"parallel", required_argument, 0, 'P'}, {"idle", required_argument, 0, 'n'},
        {"spread", required_argument, 0, 'k'}, {"hold", required_argument, 0, 'H'},
        {"setup-timeout", required_argument, 0, 'T'}, {0, 0, 0, 0},
    };
    int ch;
    while ((ch = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
        switch (ch) {
        case 'm': o_mode = optarg; break;
        case 'h': o_host = optarg; break;
        case 'p': o_port = atoi(optarg); break;
        case 'u': o_path = optarg; break;
        case 'c': o_conns = atoi(optarg); break;
        case 's': o_size = (size_t)strtoul(optarg, NULL, 10); break;
        case 'w': o_warmup = atof(optarg); break;
        case 't': o_seconds = atof(optarg); break;
        case 'P': o_parallel = atoi(optarg); break;
        case 'n': o_idle = atoi(optarg); break;
        case 'k': o_spread = atoi(optarg); break;
        case 'H': o_hold = atof(optarg); break;
        case 'T': o_setup_timeout = atof(optarg); break;
        default: usage();
        }
    }
    if ((!o_path && o_port <= 0) || o_size == 0 || o_conns <= 0 || o_parallel <= 0 ||
        o_idle <= 0)
        usage();
    signal(SIGPIPE, SIG_IGN);
    struct rlimit rl;
    if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < rl.rlim_max) {
        rl.rlim_cur = rl.rlim_max;
        setrlimit(RLIMIT_NOFILE, &rl);
    }
    setup_target();
    g_ep = epoll_create1(EPOLL_CLOEXEC);
    if (g_ep < 0) die("epoll_create1");
    if (!strcmp(o_mode, "pingpong")) return run_pingpong();
    if (!strcmp(o_mode, "bulk")) return run_bulk();
    if (!strcmp(o_mode, "connrate")) return run_connrate();
    if (!strcmp(o_mode, "idle")) return run_idle();
    usage();
    return 2;
}
