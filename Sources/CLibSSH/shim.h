#include <libssh/libssh.h>
#include <libssh/sftp.h>

/* glibc declares these only under _GNU_SOURCE, which the Glibc module is built without. */
extern int pipe2(int pipefd[2], int flags);
/* posix_spawn flag from <spawn.h> under _GNU_SOURCE (glibc >= 2.26). */
#define SCHISM_POSIX_SPAWN_SETSID 0x80
