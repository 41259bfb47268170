#pragma once
// The spiking side of a co-simulation in other MPI ranks (needs BRAINWEAVE_WITH_MPI and the CMake
// target brainweave::mpi; the umbrella headers never include this file).
//
//   rank of the region side                       rank of the spiking side
//   cosim::mpi::remote_side side(comm, peer);     cosim::network_side side(net, ...);
//   cosim::cosimulator co(sim, side, t_sync);     cosim::mpi::serve(side, comm, peer);
//   co.run(duration); co.finish();
//
// Protocol (tag 7301, all in one communicator): the serving rank first sends its ports; then, per
// window, the region rank sends {command, first step, W} and the region signals [input][W], and
// the serving rank answers {status} and either the proxy values [output][W] or, if its side threw,
// the error message, which the region rank throws as a config_error. Data cross once per window.
// `start` and `finish` are commands too; `finish` ends serve().
#if !defined(BRAINWEAVE_WITH_MPI)
#error "brainweave/cosim/mpi.hpp needs BRAINWEAVE_WITH_MPI (link the CMake target brainweave::mpi)"
#endif
#include <brainweave/core/error.hpp>
#include <brainweave/cosim/spiking_side.hpp>
#include <brainweave/parallel/mpi.hpp>

#include <mpi.h>

#include <cstdint>
#include <exception>
#include <span>
#include <sstream>
#include <string>
#include <vector>

namespace brainweave::cosim::mpi {

namespace detail {
inline constexpr int tag = 7301;
enum command : std::int64_t { cmd_start = 1, cmd_advance = 2, cmd_finish = 3 };

using parallel::mpi::check;
inline void send_string(const std::string& s, MPI_Comm comm, int peer) {
    const std::int64_t n = static_cast<std::int64_t>(s.size());
    check(MPI_Send(&n, 1, MPI_INT64_T, peer, tag, comm), "send");
    check(MPI_Send(s.data(), static_cast<int>(n), MPI_CHAR, peer, tag, comm), "send");
}
inline std::string recv_string(MPI_Comm comm, int peer) {
    std::int64_t n = 0;
    check(MPI_Recv(&n, 1, MPI_INT64_T, peer, tag, comm, MPI_STATUS_IGNORE), "receive");
    std::string s(static_cast<std::size_t>(n), '\0');
    check(MPI_Recv(s.data(), static_cast<int>(n), MPI_CHAR, peer, tag, comm, MPI_STATUS_IGNORE), "receive");
    return s;
}
/// Ports as text, one per line: "in region term mode" or "out region mode variable".
inline std::string encode_ports(const std::vector<input_port>& in, const std::vector<output_port>& out) {
    std::ostringstream s;
    for (const auto& p : in) s << "in " << p.region << ' ' << p.term << ' ' << p.mode << '\n';
    for (const auto& p : out) s << "out " << p.region << ' ' << p.mode << ' ' << p.variable << '\n';
    return s.str();
}
}  // namespace detail

/// The region rank's view of a spiking side served by rank `peer` of `comm`.
class remote_side {
public:
    remote_side(MPI_Comm comm, int peer) : comm_(comm), peer_(peer) {
        std::istringstream s(detail::recv_string(comm_, peer_));
        std::string kind;
        while (s >> kind) {
            if (kind == "in") {
                input_port p;
                s >> p.region >> p.term >> p.mode;
                inputs_.push_back(p);
            } else {
                output_port p;
                s >> p.region >> p.mode >> p.variable;
                outputs_.push_back(p);
            }
        }
    }
    remote_side(const remote_side&) = delete;
    remote_side& operator=(const remote_side&) = delete;

    std::vector<input_port> inputs() const { return inputs_; }
    std::vector<output_port> outputs() const { return outputs_; }

    void start(double dt, std::int64_t step) {
        std::int64_t head[3] = {detail::cmd_start, step, 0};
        detail::check(MPI_Send(head, 3, MPI_INT64_T, peer_, detail::tag, comm_), "send");
        detail::check(MPI_Send(&dt, 1, MPI_DOUBLE, peer_, detail::tag, comm_), "send");
        reply({});
    }
    void advance(std::int64_t step, std::size_t W, std::span<const double> in, std::span<double> out) {
        std::int64_t head[3] = {detail::cmd_advance, step, static_cast<std::int64_t>(W)};
        detail::check(MPI_Send(head, 3, MPI_INT64_T, peer_, detail::tag, comm_), "send");
        detail::check(MPI_Send(in.data(), static_cast<int>(in.size()), MPI_DOUBLE, peer_, detail::tag, comm_), "send");
        reply(out);
    }
    void finish() {
        if (finished_) return;
        finished_ = true;
        std::int64_t head[3] = {detail::cmd_finish, 0, 0};
        detail::check(MPI_Send(head, 3, MPI_INT64_T, peer_, detail::tag, comm_), "send");
        reply({});
    }

private:
    void reply(std::span<double> out) {
        std::int64_t status = 0;
        detail::check(MPI_Recv(&status, 1, MPI_INT64_T, peer_, detail::tag, comm_, MPI_STATUS_IGNORE), "receive");
        if (status != 0)
            throw config_error("spiking side (MPI rank " + std::to_string(peer_) + "): " + detail::recv_string(comm_, peer_));
        if (!out.empty())
            detail::check(MPI_Recv(out.data(), static_cast<int>(out.size()), MPI_DOUBLE, peer_, detail::tag, comm_,
                                   MPI_STATUS_IGNORE),
                          "receive");
    }

    MPI_Comm comm_;
    int peer_;
    std::vector<input_port> inputs_;
    std::vector<output_port> outputs_;
    bool finished_ = false;
};

/// Serves `side` to the region rank `peer` until it sends finish. Errors of the side are sent to
/// the region rank (which throws them) and end the service.
template <spiking_side Side>
void serve(Side& side, MPI_Comm comm, int peer) {
    detail::send_string(detail::encode_ports(side.inputs(), side.outputs()), comm, peer);
    const std::size_t n_in = side.inputs().size(), n_out = side.outputs().size();
    std::vector<double> in, out;
    for (;;) {
        std::int64_t head[3];
        detail::check(MPI_Recv(head, 3, MPI_INT64_T, peer, detail::tag, comm, MPI_STATUS_IGNORE), "receive");
        const auto W = static_cast<std::size_t>(head[2]);
        double dt = 0;
        if (head[0] == detail::cmd_start)
            detail::check(MPI_Recv(&dt, 1, MPI_DOUBLE, peer, detail::tag, comm, MPI_STATUS_IGNORE), "receive");
        if (head[0] == detail::cmd_advance) {
            in.resize(n_in * W);
            out.assign(n_out * W, 0.0);
            detail::check(MPI_Recv(in.data(), static_cast<int>(in.size()), MPI_DOUBLE, peer, detail::tag, comm,
                                   MPI_STATUS_IGNORE),
                          "receive");
        }
        std::string error;
        try {
            if (head[0] == detail::cmd_start) side.start(dt, head[1]);
            if (head[0] == detail::cmd_advance) side.advance(head[1], W, in, out);
            if (head[0] == detail::cmd_finish) side.finish();
        } catch (const std::exception& e) {
            error = e.what();
        }
        const std::int64_t status = error.empty() ? 0 : 1;
        detail::check(MPI_Send(&status, 1, MPI_INT64_T, peer, detail::tag, comm), "send");
        if (status) {
            detail::send_string(error, comm, peer);
            return;
        }
        if (head[0] == detail::cmd_advance)
            detail::check(MPI_Send(out.data(), static_cast<int>(out.size()), MPI_DOUBLE, peer, detail::tag, comm), "send");
        if (head[0] == detail::cmd_finish) return;
    }
}

}  // namespace brainweave::cosim::mpi
