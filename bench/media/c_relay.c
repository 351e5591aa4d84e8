/* Minimal UDP relay: the anchor the media relay benchmark compares against.
 *
 * One thread, one epoll set over N call pairs of UDP sockets on 127.0.0.1. Call i has leg A
 * on port base+4i and leg B on base+4i+2. Symmetric latching: a socket's remote is the source
 * of the last packet received on it. A packet received on A is sent with plain sendto() out of
 * B to B's remote (dropped while B's remote is unknown), and vice versa. One recvfrom() per
 * packet, looping until EAGAIN; no batching, no rewriting.
 *
 *     c_relay --pairs N --port-base P      prints READY once bound, runs until SIGTERM/SIGINT
 *
 * Build: gcc -O2 -o c_relay bench/media/c_relay.c
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

struct leg {
    int fd;
    int latched;
    struct sockaddr_in remote;
};

static volatile sig_atomic_t stop_flag;
static void on_signal(int sig) { (void)sig; stop_flag = 1; }

static void usage(void) {
    fprintf(stderr, "usage: c_relay --pairs N --port-base P\n");
    exit(2);
}

int main(int argc, char **argv) {
    long pairs = -1, base = -1;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--pairs") && i + 1 < argc) pairs = strtol(argv[++i], NULL, 10);
        else if (!strcmp(argv[i], "--port-base") && i + 1 < argc) base = strtol(argv[++i], NULL, 10);
        else usage();
    }
    if (pairs < 0 || base <= 0 || base + 4 * pairs > 65536) usage();

    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal; /* no SA_RESTART: epoll_wait returns EINTR */
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGINT, &sa, NULL);

    struct leg *legs = calloc((size_t)(2 * pairs + 1), sizeof *legs);
    int ep = epoll_create1(EPOLL_CLOEXEC);
    if (!legs || ep < 0) { perror("setup"); return 1; }
    for (long k = 0; k < 2 * pairs; k++) {
        int fd = socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
        if (fd < 0) { perror("socket"); return 1; }
        struct sockaddr_in a;
        memset(&a, 0, sizeof a);
        a.sin_family = AF_INET;
        a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        a.sin_port = htons((unsigned short)(base + 4 * (k / 2) + 2 * (k % 2)));
        if (bind(fd, (struct sockaddr *)&a, sizeof a) < 0) {
            fprintf(stderr, "bind 127.0.0.1:%d: %s\n", ntohs(a.sin_port), strerror(errno));
            return 1;
        }
        legs[k].fd = fd;
        struct epoll_event ev = {.events = EPOLLIN, .data.u64 = (uint64_t)k};
        if (epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev) < 0) { perror("epoll_ctl"); return 1; }
    }
    printf("READY\n");
    fflush(stdout);

    enum { MAXEV = 512 };
    struct epoll_event evs[MAXEV];
    char buf[2048];
    while (!stop_flag) {
        int n = epoll_wait(ep, evs, MAXEV, -1);
        if (n < 0) {
            if (errno == EINTR) continue;
            perror("epoll_wait");
            return 1;
        }
        for (int e = 0; e < n; e++) {
            long k = (long)evs[e].data.u64;
            struct leg *in = &legs[k], *out = &legs[k ^ 1];
            for (;;) {
                struct sockaddr_in src;
                socklen_t slen = sizeof src;
                ssize_t len = recvfrom(in->fd, buf, sizeof buf, 0, (struct sockaddr *)&src, &slen);
                if (len < 0) {
                    if (errno == EINTR) continue;
                    break; /* EAGAIN (or a transient error): next socket */
                }
                in->remote = src;
                in->latched = 1;
                if (out->latched)
                    sendto(out->fd, buf, (size_t)len, 0, (struct sockaddr *)&out->remote, sizeof out->remote);
            }
        }
    }
    for (long k = 0; k < 2 * pairs; k++) close(legs[k].fd);
    close(ep);
    free(legs);
    return 0;
}
