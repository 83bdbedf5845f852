#include <libssh/libssh.h>
#include <libssh/sftp.h>
