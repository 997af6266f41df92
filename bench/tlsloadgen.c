/*
 * tlsloadgen.c -- epoll + OpenSSL load generator for TLS echo servers (gnet
 * benchmark, issue 20).  The sibling of loadgen.c, with the same output
 * protocol (WARM_END, MEASURE_END, RESULT {json}) and the same options.
 *
 * Built by bench/run.py with `cc -O2 -o tlsloadgen tlsloadgen.c -lssl -lcrypto`
 * (only when OpenSSL's headers are there; otherwise the TLS workloads are
 * skipped).  One process, one thread, level-triggered epoll, non-blocking
 * sockets driven with SSL_connect/SSL_read/SSL_write and WANT_READ/WANT_WRITE.
 *
 * The client offers TLS 1.3 only, OpenSSL's default cipher suites and groups,
 * and does not verify the server's certificate (the server's cost is measured;
 * every server gets the same client).  It never resumes a session.
 *
 * Modes (--mode):
 *   tls-handshake  P parallel clients loop: connect, full TLS handshake, send
 *                  S bytes, read the S-byte echo (checked), close_notify,
 *                  close.  Handshakes/s, p50/p99 latency (connect -> echo).
 *   tls-bulk       C connections each SSL_write continuously in S-byte chunks
 *                  and read the echo back; every echoed byte is compared with
 *                  a deterministic per-connection pattern (as loadgen's bulk).
 *                  MB/s (10^6 B/s) of verified echoed plaintext.
 *
 * A failed handshake, an SSL error, a closed connection or a byte mismatch
 * exits with status 3 and a line on stderr: the run fails loudly.  The first
 * connection's protocol, cipher and key-exchange group go into RESULT.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <getopt.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <openssl/err.h>
#include <openssl/objects.h>
#include <openssl/ssl.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#ifndef IP_BIND_ADDRESS_NO_PORT
#define IP_BIND_ADDRESS_NO_PORT 24
#endif

#define MAX_EVENTS 512
#define RBUF_SIZE (256 * 1024)
#define PLEN 1048573                    /* pattern period: a prime near 1 MiB */
#define HIST_US 2000000

static const char *o_mode = "tls-handshake";
static const char *o_host = "127.0.0.1";
static int o_port = 0;
static const char *o_path = NULL;
static int o_conns = 1;
static size_t o_size = 64;
static double o_warmup = 1.0, o_seconds = 5.0;
static int o_parallel = 16;
static int o_spread = 64;
static double o_setup_timeout = 60.0;

static struct sockaddr_storage g_addr;
static socklen_t g_addrlen;
static int g_family;
static int g_ep;
static SSL_CTX *g_ctx;
static char g_cipher[160] = "";

static void die(const char *what) {
    fprintf(stderr, "tlsloadgen: %s: %s\n", what, strerror(errno));
    exit(2);
}

static void fail(const char *what, int i) {
    fprintf(stderr, "tlsloadgen: FAIL %s (connection %d)\n", what, i);
    ERR_print_errors_fp(stderr);
    exit(3);
}

static void setup_target(void) {
    memset(&g_addr, 0, sizeof g_addr);
    if (o_path) {
        struct sockaddr_un *un = (struct sockaddr_un *)&g_addr;
        if (strlen(o_path) >= sizeof un->sun_path) {
            fprintf(stderr, "tlsloadgen: path too long\n");
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
        fprintf(stderr, "tlsloadgen: --host must be an IP literal\n");
        exit(2);
    }
}

static int spread_sources(void) {
    if (g_family != AF_INET || o_spread <= 0) return 0;
    const struct sockaddr_in *in4 = (const struct sockaddr_in *)&g_addr;
    return (ntohl(in4->sin_addr.s_addr) >> 24) == 127;
}

static unsigned g_src_next;

static int start_connect(void) {
    int fd = socket(g_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd < 0) return -1;
    if (g_family != AF_UNIX) {
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

/* ---- time, cpu, pattern, histogram, phases (as loadgen.c) ---------------- */

static inline int64_t now_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static struct rusage g_ru;
static void ru_now(void) { getrusage(RUSAGE_SELF, &g_ru); }
static double cpu_user(void) { return g_ru.ru_utime.tv_sec + g_ru.ru_utime.tv_usec / 1e6; }
static double cpu_sys(void) { return g_ru.ru_stime.tv_sec + g_ru.ru_stime.tv_usec / 1e6; }

static unsigned char *g_pat;

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

struct phase {
    int64_t t_start, t_warm, t_end, t_warm_real, t_end_real;
    int measuring, done;
    double u0, s0;
};

static void phase_init(struct phase *ph) {
    memset(ph, 0, sizeof *ph);
    ph->t_start = now_ns();
    ph->t_warm = ph->t_start + (int64_t)(o_warmup * 1e9);
    ph->t_end = ph->t_warm + (int64_t)(o_seconds * 1e9);
}

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
           "\"cpu_sys_s\":%.6f,\"cpu_frac\":%.4f,\"cipher\":\"%s\",%s}\n",
           o_mode, wall, u, s, wall > 0 ? (u + s) / wall : 0.0, g_cipher, extra);
    fflush(stdout);
}

static void ep_add(int fd, uint32_t ev, uint64_t data) {
    struct epoll_event e = {.events = ev, .data.u64 = data};
    if (epoll_ctl(g_ep, EPOLL_CTL_ADD, fd, &e) < 0) die("epoll_ctl add");
}

static void ep_mod(int fd, uint32_t ev, uint64_t data) {
    struct epoll_event e = {.events = ev, .data.u64 = data};
    if (epoll_ctl(g_ep, EPOLL_CTL_MOD, fd, &e) < 0) die("epoll_ctl mod");
}

/* ---- TLS ---------------------------------------------------------------- */

static void tls_init(void) {
    g_ctx = SSL_CTX_new(TLS_client_method());
    if (!g_ctx) fail("SSL_CTX_new", -1);
    SSL_CTX_set_min_proto_version(g_ctx, TLS1_3_VERSION);
    SSL_CTX_set_max_proto_version(g_ctx, TLS1_3_VERSION);
    SSL_CTX_set_verify(g_ctx, SSL_VERIFY_NONE, NULL);
    SSL_CTX_set_session_cache_mode(g_ctx, SSL_SESS_CACHE_OFF);
    SSL_CTX_set_mode(g_ctx, SSL_MODE_ENABLE_PARTIAL_WRITE | SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER);
}

static SSL *tls_new(int fd, int i) {
    SSL *ssl = SSL_new(g_ctx);
    if (!ssl || !SSL_set_fd(ssl, fd)) fail("SSL_new", i);
    SSL_set_connect_state(ssl);
    return ssl;
}

static void note_cipher(SSL *ssl) {
    if (g_cipher[0]) return;
    int nid = SSL_get_negotiated_group(ssl);
    const char *group = nid > 0 ? OBJ_nid2sn(nid) : "?";
    snprintf(g_cipher, sizeof g_cipher, "%s %s %s", SSL_get_version(ssl),
             SSL_get_cipher_name(ssl), group ? group : "?");
}

/* The epoll events an SSL call's "want" needs: EPOLLIN or EPOLLOUT; fails otherwise. */
static uint32_t tls_want(SSL *ssl, int ret, const char *what, int i) {
    int err = SSL_get_error(ssl, ret);
    if (err == SSL_ERROR_WANT_READ) return EPOLLIN;
    if (err == SSL_ERROR_WANT_WRITE) return EPOLLOUT;
    char msg[160];
    snprintf(msg, sizeof msg, "%s: SSL error %d%s%s", what, err,
             err == SSL_ERROR_SYSCALL ? ", errno " : "",
             err == SSL_ERROR_SYSCALL ? strerror(errno) : "");
    if (err == SSL_ERROR_ZERO_RETURN) snprintf(msg, sizeof msg, "%s: server closed", what);
    fail(msg, i);
    return 0;
}

/* ---- tls-handshake ------------------------------------------------------ */

enum hs_state { HS_CONNECTING, HS_HANDSHAKE, HS_SEND, HS_RECEIVE };

struct hs {
    int fd;
    SSL *ssl;
    enum hs_state st;
    size_t sent, recvd;
    int64_t t0;
    uint32_t events;
    unsigned char *rbuf;
};

static uint64_t g_errors;
static int64_t g_deadline;

static void hs_start(struct hs *c, int i) {
    for (;;) {
        c->fd = start_connect();
        if (c->fd >= 0) break;
        g_errors++;                     /* a TCP connect error: counted, retried */
        if (g_errors < 5) fprintf(stderr, "tlsloadgen: connect: %s\n", strerror(errno));
        if (now_ns() > g_deadline) {
            fprintf(stderr, "tlsloadgen: cannot connect any more, giving up\n");
            exit(2);
        }
        usleep(1000);
    }
    c->ssl = NULL;
    c->st = HS_CONNECTING;
    c->sent = c->recvd = 0;
    c->t0 = now_ns();
    c->events = EPOLLOUT;
    ep_add(c->fd, EPOLLOUT, (uint64_t)i);
}

static void hs_want(struct hs *c, int i, uint32_t ev) {
    if (ev != c->events) {
        ep_mod(c->fd, ev, (uint64_t)i);
        c->events = ev;
    }
}

/* Advance client i as far as it goes; returns 1 when its round is complete. */
static int hs_step(struct hs *c, int i, const unsigned char *msg) {
    if (c->st == HS_CONNECTING) {
        int err = 0;
        socklen_t len = sizeof err;
        getsockopt(c->fd, SOL_SOCKET, SO_ERROR, &err, &len);
        if (err) {
            errno = err;
            fail("TCP connect", i);
        }
        c->ssl = tls_new(c->fd, i);
        c->st = HS_HANDSHAKE;
    }
    if (c->st == HS_HANDSHAKE) {
        int r = SSL_connect(c->ssl);
        if (r != 1) {
            hs_want(c, i, tls_want(c->ssl, r, "handshake", i));
            return 0;
        }
        note_cipher(c->ssl);
        c->st = HS_SEND;
    }
    if (c->st == HS_SEND) {
        while (c->sent < o_size) {
            int w = SSL_write(c->ssl, msg + c->sent, (int)(o_size - c->sent));
            if (w <= 0) {
                hs_want(c, i, tls_want(c->ssl, w, "echo write", i));
                return 0;
            }
            c->sent += (size_t)w;
        }
        c->st = HS_RECEIVE;
    }
    while (c->recvd < o_size) {
        int r = SSL_read(c->ssl, c->rbuf + c->recvd, (int)(o_size - c->recvd));
        if (r <= 0) {
            hs_want(c, i, tls_want(c->ssl, r, "echo read", i));
            return 0;
        }
        c->recvd += (size_t)r;
    }
    if (memcmp(c->rbuf, msg, o_size) != 0) fail("VERIFY echo after handshake", i);
    return 1;
}

static int run_handshake(void) {
    make_pattern(o_size);
    g_hist = calloc(HIST_US, sizeof *g_hist);
    struct hs *cs = calloc((size_t)o_parallel, sizeof *cs);
    for (int i = 0; i < o_parallel; i++) cs[i].rbuf = malloc(o_size);
    struct phase ph;
    phase_init(&ph);
    g_deadline = ph.t_end + 5000000000LL;
    uint64_t n_hs = 0, hs_warm = 0, errors_warm = 0;
    for (int i = 0; i < o_parallel; i++) hs_start(&cs[i], i);
    struct epoll_event evs[MAX_EVENTS];
    while (!ph.done) {
        int64_t t = now_ns();
        if (phase_tick(&ph, t)) {
            hs_warm = n_hs;
            errors_warm = g_errors;
        }
        if (ph.done) break;
        int k = epoll_wait(g_ep, evs, MAX_EVENTS, phase_timeout_ms(&ph, t));
        if (k < 0 && errno != EINTR) die("epoll_wait");
        for (int j = 0; j < k; j++) {
            int i = (int)evs[j].data.u64;
            struct hs *c = &cs[i];
            const unsigned char *msg = g_pat + ((uint64_t)i * 7919u) % PLEN;
            if (!hs_step(c, i, msg)) continue;
            if (ph.measuring) hist_add(now_ns() - c->t0);
            SSL_shutdown(c->ssl);       /* our close_notify; the server's is not awaited */
            SSL_free(c->ssl);
            close(c->fd);
            n_hs++;
            hs_start(c, i);
        }
    }
    double wall = (ph.t_end_real - ph.t_warm_real) / 1e9;
    uint64_t n = n_hs - hs_warm;
    char extra[512];
    snprintf(extra, sizeof extra,
             "\"parallel\":%d,\"size\":%zu,\"ops\":%llu,\"rate\":%.3f,\"p50_us\":%.1f,"
             "\"p99_us\":%.1f,\"errors\":%llu,\"src_spread\":%d",
             o_parallel, o_size, (unsigned long long)n, n / wall, hist_pct(0.50),
             hist_pct(0.99), (unsigned long long)(g_errors - errors_warm),
             spread_sources() ? o_spread : 0);
    print_result_common(&ph, extra);
    return 0;
}

/* ---- tls-bulk ----------------------------------------------------------- */

struct bk {
    int fd;
    SSL *ssl;
    uint64_t soff, roff, shift;
};

/* Read everything the connection has; verifies it; returns bytes read. */
static uint64_t bk_read(struct bk *c, int i, unsigned char *rbuf) {
    uint64_t got = 0;
    for (;;) {
        int r = SSL_read(c->ssl, rbuf, RBUF_SIZE);
        if (r <= 0) {
            if (tls_want(c->ssl, r, "bulk read", i) == EPOLLIN) break;
            break;                      /* WANT_WRITE: the next EPOLLOUT round retries */
        }
        size_t start = (size_t)((c->roff + c->shift) % PLEN);
        if (memcmp(rbuf, g_pat + start, (size_t)r) != 0) {
            size_t at = 0;
            while (at < (size_t)r && rbuf[at] == g_pat[start + at]) at++;
            fprintf(stderr, "tlsloadgen: VERIFY FAIL bulk conn %d at byte %llu\n", i,
                    (unsigned long long)(c->roff + at));
            exit(3);
        }
        c->roff += (uint64_t)r;
        got += (uint64_t)r;
    }
    return got;
}

static uint64_t bk_write(struct bk *c, int i) {
    uint64_t put = 0;
    for (int rounds = 0; rounds < 4; rounds++) {
        size_t n = o_size - (size_t)(c->soff % o_size);
        size_t start = (size_t)((c->soff + c->shift) % PLEN);
        int w = SSL_write(c->ssl, g_pat + start, (int)n);
        if (w <= 0) {
            tls_want(c->ssl, w, "bulk write", i);
            break;
        }
        c->soff += (uint64_t)w;
        put += (uint64_t)w;
        if ((size_t)w < n) break;
    }
    return put;
}

static int run_bulk(void) {
    size_t extra_len = o_size > RBUF_SIZE ? o_size : RBUF_SIZE;
    make_pattern(extra_len);
    unsigned char *rbuf = malloc(RBUF_SIZE);
    struct bk *cs = calloc((size_t)o_conns, sizeof *cs);
    int64_t deadline = now_ns() + (int64_t)(o_setup_timeout * 1e9);
    /* connect and handshake every connection, blocking on poll-free retries */
    for (int i = 0; i < o_conns; i++) {
        cs[i].fd = start_connect();
        if (cs[i].fd < 0) die("connect");
        cs[i].ssl = tls_new(cs[i].fd, i);
        cs[i].shift = ((uint64_t)i * 104729u + 17u) % PLEN;
        ep_add(cs[i].fd, EPOLLOUT, (uint64_t)i);
    }
    int pending = o_conns;
    char *ok = calloc((size_t)o_conns, 1);
    struct epoll_event evs[MAX_EVENTS];
    while (pending > 0) {
        if (now_ns() > deadline) fail("handshakes timed out", -1);
        int k = epoll_wait(g_ep, evs, MAX_EVENTS, 100);
        for (int j = 0; j < k; j++) {
            int i = (int)evs[j].data.u64;
            if (ok[i]) continue;
            int r = SSL_connect(cs[i].ssl);
            if (r == 1) {
                note_cipher(cs[i].ssl);
                ok[i] = 1;
                pending--;
                ep_mod(cs[i].fd, EPOLLIN | EPOLLOUT, (uint64_t)i);
            } else {
                ep_mod(cs[i].fd, tls_want(cs[i].ssl, r, "handshake", i), (uint64_t)i);
            }
        }
    }
    free(ok);
    struct phase ph;
    phase_init(&ph);
    uint64_t rbytes = 0, rbytes_warm = 0, sbytes = 0, sbytes_warm = 0;
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
            if (evs[j].events & (EPOLLIN | EPOLLHUP | EPOLLERR)) rbytes += bk_read(&cs[i], i, rbuf);
            if (evs[j].events & EPOLLOUT) sbytes += bk_write(&cs[i], i);
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

/* ---- main --------------------------------------------------------------- */

static void usage(void) {
    fprintf(stderr,
            "usage: tlsloadgen --mode tls-handshake|tls-bulk (--host H --port P | --path F)\n"
            "                  [--conns C] [--size S] [--warmup W] [--seconds T]\n"
            "                  [--parallel P] [--spread K] [--setup-timeout SEC]\n");
    exit(2);
}

int main(int argc, char **argv) {
    static struct option longopts[] = {
        {"mode", required_argument, 0, 'm'},   {"host", required_argument, 0, 'h'},
        {"port", required_argument, 0, 'p'},   {"path", required_argument, 0, 'u'},
        {"conns", required_argument, 0, 'c'},  {"size", required_argument, 0, 's'},
        {"warmup", required_argument, 0, 'w'}, {"seconds", required_argument, 0, 't'},
        {"parallel", required_argument, 0, 'P'}, {"spread", required_argument, 0, 'k'},
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
        case 'k': o_spread = atoi(optarg); break;
        case 'T': o_setup_timeout = atof(optarg); break;
        default: usage();
        }
    }
    if ((!o_path && o_port <= 0) || o_size == 0 || o_size > (1 << 30) || o_conns <= 0 ||
        o_parallel <= 0)
        usage();
    signal(SIGPIPE, SIG_IGN);
    struct rlimit rl;
    if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < rl.rlim_max) {
        rl.rlim_cur = rl.rlim_max;
        setrlimit(RLIMIT_NOFILE, &rl);
    }
    setup_target();
    tls_init();
    g_ep = epoll_create1(EPOLL_CLOEXEC);
    if (g_ep < 0) die("epoll_create1");
    if (!strcmp(o_mode, "tls-handshake")) return run_handshake();
    if (!strcmp(o_mode, "tls-bulk")) return run_bulk();
    usage();
    return 2;
}
