/*
 * c_epoll.c -- reference echo server in C (the harness ceiling), optional in
 * bench/run.py (--ceiling).  Single thread, level-triggered epoll, 64 KiB
 * reads, blocking-free writes with a per-connection backlog buffer.
 * Usage: c_epoll --port N [--host H] | --path P ; prints "ready".
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#define RSIZE 65536

struct conn {
    char *pend;       /* bytes read but not yet written back */
    size_t plen, poff;
};

static struct conn **conns;
static int nconns;

static struct conn *get(int fd) {
    if (fd >= nconns) {
        int n = fd * 2 + 64;
        conns = realloc(conns, sizeof *conns * (size_t)n);
        memset(conns + nconns, 0, sizeof *conns * (size_t)(n - nconns));
        nconns = n;
    }
    if (!conns[fd]) conns[fd] = calloc(1, sizeof **conns);
    return conns[fd];
}

static void drop(int ep, int fd) {
    epoll_ctl(ep, EPOLL_CTL_DEL, fd, NULL);
    close(fd);
    if (fd < nconns && conns[fd]) {
        free(conns[fd]->pend);
        free(conns[fd]);
        conns[fd] = NULL;
    }
}

int main(int argc, char **argv) {
    const char *host = "127.0.0.1", *path = NULL;
    int port = 0;
    for (int i = 1; i + 1 < argc; i += 2) {
        if (!strcmp(argv[i], "--port")) port = atoi(argv[i + 1]);
        else if (!strcmp(argv[i], "--host")) host = argv[i + 1];
        else if (!strcmp(argv[i], "--path")) path = argv[i + 1];
    }
    signal(SIGPIPE, SIG_IGN);
    struct rlimit rl;
    if (getrlimit(RLIMIT_NOFILE, &rl) == 0) { rl.rlim_cur = rl.rlim_max; setrlimit(RLIMIT_NOFILE, &rl); }
    int ls;
    if (path) {
        struct sockaddr_un un = {.sun_family = AF_UNIX};
        strncpy(un.sun_path, path, sizeof un.sun_path - 1);
        unlink(path);
        ls = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0);
        if (bind(ls, (struct sockaddr *)&un, sizeof un) < 0) { perror("bind"); return 1; }
    } else {
        struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
        inet_pton(AF_INET, host, &a.sin_addr);
        ls = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
        int one = 1;
        setsockopt(ls, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
        if (bind(ls, (struct sockaddr *)&a, sizeof a) < 0) { perror("bind"); return 1; }
    }
    listen(ls, 511);
    int ep = epoll_create1(0);
    struct epoll_event e = {.events = EPOLLIN, .data.fd = ls};
    epoll_ctl(ep, EPOLL_CTL_ADD, ls, &e);
    printf("ready\n");
    fflush(stdout);
    static char buf[RSIZE];
    struct epoll_event evs[256];
    for (;;) {
        int n = epoll_wait(ep, evs, 256, -1);
        for (int i = 0; i < n; i++) {
            int fd = evs[i].data.fd;
            if (fd == ls) {
                for (;;) {
                    int c = accept4(ls, NULL, NULL, SOCK_NONBLOCK);
                    if (c < 0) break;
                    struct epoll_event ce = {.events = EPOLLIN, .data.fd = c};
                    epoll_ctl(ep, EPOLL_CTL_ADD, c, &ce);
                }
                continue;
            }
            struct conn *c = get(fd);
            if (c->plen) {                      /* writable again: flush the backlog */
                ssize_t w = write(fd, c->pend + c->poff, c->plen - c->poff);
                if (w < 0 && errno != EAGAIN) { drop(ep, fd); continue; }
                if (w > 0) c->poff += (size_t)w;
                if (c->poff == c->plen) {
                    c->plen = c->poff = 0;
                    struct epoll_event ce = {.events = EPOLLIN, .data.fd = fd};
                    epoll_ctl(ep, EPOLL_CTL_MOD, fd, &ce);
                }
                continue;
            }
            ssize_t r = read(fd, buf, RSIZE);
            if (r == 0 || (r < 0 && errno != EAGAIN)) { drop(ep, fd); continue; }
            if (r < 0) continue;
            ssize_t w = write(fd, buf, (size_t)r);
            if (w < 0 && errno != EAGAIN) { drop(ep, fd); continue; }
            if (w < 0) w = 0;
            if (w < r) {                        /* stop reading until the rest is out */
                c->pend = realloc(c->pend, (size_t)(r - w));
                memcpy(c->pend, buf + w, (size_t)(r - w));
                c->plen = (size_t)(r - w);
                c->poff = 0;
                struct epoll_event ce = {.events = EPOLLOUT, .data.fd = fd};
                epoll_ctl(ep, EPOLL_CTL_MOD, fd, &ce);
            }
        }
    }
}
