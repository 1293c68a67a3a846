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
 * A device model's two entry points: an access of @size (1, 2, 4 or 8)
 * bytes at @offset into the device. A read returns the value, which the
 * bus truncates to @size bytes; a write's @val holds only the low @size
 * bytes. Two functions, not one with a direction: the hot exits branch
 * straight to the model's register switch.
 */
typedef u64 vdev_read_fn(struct vcpu *vcpu, const struct vdev *dev, u64 offset, u32 size);
typedef void vdev_write_fn(struct vcpu *vcpu, const struct vdev *dev, u64 offset, u32 size,
			   u64 val);

struct vdev {
	u64 base, size;
	vdev_read_fn *read;
	vdev_write_fn *write;
	void *priv;		/* the model's state, vdev_add()'s @priv */
};

/* The devices of one address space of a VM (MMIO or I/O ports). */
struct vdev_bus {
	u32 nr;
	struct vdev devs[VM_MAX_VDEVS];
};

/* Place a device on @bus: -EBUSY if it overlaps one, -ENOMEM if full, -EINVAL if empty. */
int vdev_add(struct vdev_bus *bus, u64 base, u64 size, vdev_read_fn *read, vdev_write_fn *write,
	     void *priv);

/*
 * The device on @bus at @addr, or NULL; *@offset, @addr's offset into it.
 * Every slot is looked at, not only the first nr: a bus starts zeroed and
 * vdev_add() only appends, so a slot past nr has size 0 and matches no
 * address, and the usual VM's first device is found without a loop's setup.
 */
static inline const struct vdev *vdev_find_offset(const struct vdev_bus *bus, u64 addr,
						  u64 *offset)
{
	const struct vdev *d = bus->devs;

#pragma GCC unroll 4	/* VM_MAX_VDEVS */
	for (; d < bus->devs + VM_MAX_VDEVS; d++) {
		u64 off = addr - d->base;

		if (off < d->size) {
			*offset = off;
			return d;
		}
	}
	return NULL;
}

/* The device on @bus at @addr, or NULL. */
static inline const struct vdev *vdev_find(const struct vdev_bus *bus, u64 addr)
{
	u64 offset;

	return vdev_find_offset(bus, addr, &offset);
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
 * An access from @vcpu that the arch decoded, of @size bytes (1, 2, 4 or
 * 8: the arch decodes no other) at @addr, to @dev that vdev_find() gave
 * for @addr: 0 once done, -EINVAL if it runs past the device's end.
 */
static inline int vdev_access(struct vcpu *vcpu, const struct vdev *dev, u64 addr, u32 size,
			      bool write, u64 *val)
{
	u64 offset = addr - dev->base;

	if (!vdev_fits(dev, addr, size))
		return -EINVAL;
	if (write)
		dev->write(vcpu, dev, offset, size, vdev_mask(size, *val));
	else
		*val = vdev_mask(size, dev->read(vcpu, dev, offset, size));
	return 0;
}

/* The emulated console of kind @kind (VM_CONSOLE_*, hyp/vm_config.h) at @base. */
int vdev_console_add(struct vm *vm, u32 kind, u64 base);
/* A machine reset of @vm's emulated console, whichever kind it has (vm_reset()). */
void vdev_console_reset(struct vm *vm);

#endif
