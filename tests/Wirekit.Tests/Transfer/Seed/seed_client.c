/* A client written the way the seed's C client is (AppProtocol.h structs sent and received raw), ported from
 * Winsock to POSIX sockets. Used by SeedCClientTests to prove byte compatibility with a C compiler's layout.
 * usage: seed_client PORT INDEX OUTFILE   -> prints the list as "index size name" lines, saves file INDEX. */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

typedef struct MYCMD { int nCode; int nSize; } MYCMD;
typedef struct ERRORDATA { int nErrorCode; char szDesc[256]; } ERRORDATA;
typedef struct SEND_FILELIST { unsigned int nCount; } SEND_FILELIST;
typedef struct FILEINFO { unsigned int nIndex; char szFileName[256]; unsigned int dwFileSize; } FILEINFO;
typedef struct GETFILE { unsigned int nIndex; } GETFILE;
enum { CMD_ERROR = 50, CMD_GET_LIST = 100, CMD_GET_FILE, CMD_SND_FILELIST = 200, CMD_BEGIN_FILE };

/* recv() may return fewer bytes than asked: read until the struct is whole ("끊어낸다"). */
static void recv_all(int s, void *buffer, size_t size)
{
    size_t got = 0;
    while (got < size) {
        ssize_t n = recv(s, (char *)buffer + got, size - got, 0);
        if (n <= 0) { fprintf(stderr, "connection closed after %zu of %zu bytes\n", got, size); exit(2); }
        got += (size_t)n;
    }
}

int main(int argc, char **argv)
{
    if (argc != 4) { fprintf(stderr, "usage: seed_client PORT INDEX OUTFILE\n"); return 1; }
    int s = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in address = { 0 };
    address.sin_family = AF_INET;
    address.sin_port = htons((unsigned short)atoi(argv[1]));
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (connect(s, (struct sockaddr *)&address, sizeof address) != 0) { perror("connect"); return 1; }

    MYCMD cmd = { CMD_GET_LIST, 0 };
    send(s, &cmd, sizeof cmd, 0);
    recv_all(s, &cmd, sizeof cmd);
    if (cmd.nCode != CMD_SND_FILELIST) { fprintf(stderr, "expected CMD_SND_FILELIST, got %d\n", cmd.nCode); return 1; }
    SEND_FILELIST list;
    recv_all(s, &list, sizeof list);
    for (unsigned int i = 0; i < list.nCount; i++) {
        FILEINFO info;
        recv_all(s, &info, sizeof info);
        printf("%u %u %s\n", info.nIndex, info.dwFileSize, info.szFileName);
    }

    /* Both headers in one buffer, one send, as the seed's client does. */
    unsigned char request[sizeof(MYCMD) + sizeof(GETFILE)] = { 0 };
    MYCMD *pCmd = (MYCMD *)request;
    pCmd->nCode = CMD_GET_FILE;
    pCmd->nSize = sizeof(GETFILE);
    ((GETFILE *)(request + sizeof(MYCMD)))->nIndex = (unsigned int)atoi(argv[2]);
    send(s, request, sizeof request, 0);

    recv_all(s, &cmd, sizeof cmd);
    if (cmd.nCode == CMD_ERROR) {
        ERRORDATA error;
        recv_all(s, &error, sizeof error);
        printf("error %d %s\n", error.nErrorCode, error.szDesc);
        return 3;
    }
    FILEINFO info;
    recv_all(s, &info, sizeof info);
    FILE *out = fopen(argv[3], "wb");
    char buffer[65536];
    for (unsigned int left = info.dwFileSize; left > 0;) {
        size_t want = left < sizeof buffer ? left : sizeof buffer;
        ssize_t n = recv(s, buffer, want, 0);
        if (n <= 0) { fprintf(stderr, "closed with %u bytes left\n", left); return 2; }
        fwrite(buffer, 1, (size_t)n, out);
        left -= (unsigned int)n;
    }
    fclose(out);
    printf("saved %s %u\n", info.szFileName, info.dwFileSize);
    close(s);
    return 0;
}
