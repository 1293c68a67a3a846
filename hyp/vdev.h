/* SPDX-License-Identifier: MIT */
/*
 * The emulated-device bus: a VM's devices, each a guest-physical (MMIO)
 * or I/O-port range, and the one entry point arch code calls with an
 * access it decoded from a trap. The models live in hyp/vdev/.
 */
#ifndef HYP_VDEV_H
#define HYP_VDEV_H

#include "types.h"

#define VM_MAX_VDEVS		4	/* per address space */

struct vm;
struct vcpu;
struct vdev;

/*
 * A device model's one entry point: an access of @size (1, 2, 4 or 8)
 * bytes at @offset into the device. A write's *@val holds only the low
 * @size bytes; a read stores *@val, which the bus truncates to @size bytes.
 */
typedef void vdev_access_fn(struct vcpu *vcpu, const struct vdev *dev, u64 offset, u32 size,
			    bool write, u64 *val);

struct vdev {
	u64 base, size;
	vdev_access_fn *access;
};

/* The devices of one address space of a VM (MMIO or I/O ports). */
struct vdev_bus {
	u32 nr;
	struct vdev devs[VM_MAX_VDEVS];
};

/* Place a device on @bus: -EBUSY if it overlaps one, -ENOMEM if full, -EINVAL if empty. */
int vdev_add(struct vdev_bus *bus, u64 base, u64 size, vdev_access_fn *access);

/*
 * The device on @bus at @addr, or NULL. Every slot is looked at, not only
 * the first nr: a bus starts zeroed and vdev_add() only appends, so a slot
 * past nr has size 0 and matches no address, and the usual VM's first
 * device is found without a loop's setup.
 */
static inline const struct vdev *vdev_find(const struct vdev_bus *bus, u64 addr)
{
	const struct vdev *d = bus->devs;

#pragma GCC unroll 4	/* VM_MAX_VDEVS */
	for (; d < bus->devs + VM_MAX_VDEVS; d++)
		if (addr - d->base < d->size)
			return d;
	return NULL;
}

/* Does an access of @size bytes at @addr stay inside @dev (that vdev_find() gave)? */
static inline bool vdev_fits(const struct vdev *dev, u64 addr, u32 size)
{
	return size <= dev->size - (addr - dev->base);
}

/* The low @size bytes of a register's value. */
static inline u64 vdev_mask(u32 size, u64 val)
{
	u32 unused = (0u - size * 8) & 63;	/* 64 - size * 8, and 0 for 8 */

	return val << unused >> unused;
}

/*
 * A write that vdev_fits(): @val (a slot that outlives the caller, so that
 * the access can be its last call) masked to @size, then the access.
 */
static inline void vdev_write(struct vcpu *vcpu, const struct vdev *dev, u64 addr, u32 size,
			      u64 *val)
{
	*val = vdev_mask(size, *val);
	dev->access(vcpu, dev, addr - dev->base, size, true, val);
}

/*
 * An access from @vcpu that the arch decoded, of @size bytes (1, 2, 4 or
 * 8: the arch decodes no other) at @addr, to @dev that vdev_find() gave
 * for @addr: 0 once done, -EINVAL if it runs past the device's end.
 */
static inline int vdev_access(struct vcpu *vcpu, const struct vdev *dev, u64 addr, u32 size,
			      bool write, u64 *val)
{
	u64 offset = addr - dev->base;
	u64 mask = ~0ull >> (64 - size * 8);

	if (size > dev->size - offset)
		return -EINVAL;
	if (write) {
		*val &= mask;
		dev->access(vcpu, dev, offset, size, true, val);
	} else {
		dev->access(vcpu, dev, offset, size, false, val);
		*val &= mask;
	}
	return 0;
}

/* The emulated console of kind @kind (VM_CONSOLE_*, hyp/vm_config.h) at @base. */
int vdev_console_add(struct vm *vm, u32 kind, u64 base);
/* A machine reset of @vm's emulated console, whichever kind it has (vm_reset()). */
void vdev_console_reset(struct vm *vm);

#endif
