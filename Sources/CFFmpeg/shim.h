#ifndef RUNNER_CFFMPEG_SHIM_H
#define RUNNER_CFFMPEG_SHIM_H

#include <errno.h>
#include <libavformat/avformat.h>
#include <libavcodec/avcodec.h>
#include <libavutil/avutil.h>
#include <libavutil/imgutils.h>
#include <libavutil/opt.h>
#include <libavutil/channel_layout.h>
#include <libavutil/audio_fifo.h>
#include <libswscale/swscale.h>
// Mixing, loudness and drawn captions (the soundtrack and captions stages).
#include <libavfilter/avfilter.h>
#include <libavfilter/buffersink.h>
#include <libavfilter/buffersrc.h>

// FFmpeg's function-like macros are not imported into Swift: expose them as functions.
static inline int runner_averror(int posix_error) { return AVERROR(posix_error); }
static inline int runner_averror_eof(void) { return AVERROR_EOF; }
static inline int runner_averror_eagain(void) { return AVERROR(EAGAIN); }
static inline int64_t runner_av_nopts_value(void) { return AV_NOPTS_VALUE; }
static inline AVRational runner_av_time_base_q(void) { return AV_TIME_BASE_Q; }

// Flags defined as shifted or combined expressions, which Swift does not import as constants.
static inline int runner_codec_flag_global_header(void) { return AV_CODEC_FLAG_GLOBAL_HEADER; }
static inline int runner_codec_flag_bitexact(void) { return AV_CODEC_FLAG_BITEXACT; }
static inline int runner_fmt_flag_bitexact(void) { return AVFMT_FLAG_BITEXACT; }
static inline int runner_fmt_globalheader(void) { return AVFMT_GLOBALHEADER; }
static inline int runner_avio_flag_write(void) { return AVIO_FLAG_WRITE; }
static inline int runner_seek_flag_backward(void) { return AVSEEK_FLAG_BACKWARD; }
static inline int runner_sws_bicubic(void) { return SWS_BICUBIC; }
static inline int runner_sws_accurate_rnd(void) { return SWS_ACCURATE_RND; }
static inline int runner_sws_full_chr_h_int(void) { return SWS_FULL_CHR_H_INT; }
static inline int runner_sws_bitexact(void) { return SWS_BITEXACT; }

#endif
